import { GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { unsubscribeSubscribedTopic } from '../../functions/core/consent';
import { consentWording } from '../../functions/core/consent-wording';
import { type NormalizedEmail, normalizeEmail } from '../../functions/core/email';
import { createApp } from '../../functions/http';
import { unsubscribeUrl } from '../../functions/mail/list-unsubscribe';
import { fastPathExpressions } from '../../functions/store/one-click';
import { type BenchContext, type Figure, percentile, row } from '../context';

const N = 400;

/**
 * A one-click unsubscribe (RFC 8058 POST) through `createApp().request()`, each on a different
 * subscribed address, against two baselines on items of the same kind in the same store: one raw
 * UpdateItem with the fast path's own expression (store/one-click.ts), the least a ledgered
 * unsubscribe that reads nothing first can write, which the goal holds it to; and one raw PutItem
 * of the whole profile item, reported for comparison with earlier runs (DynamoDB Local takes
 * longer over an update and its condition than over a plain put).
 */
export const oneClickFigure: Figure = {
  name: 'one-click',
  async run(ctx: BenchContext) {
    const { deps } = ctx;
    const app = createApp(deps);
    const table = deps.db.tableName;
    const ids = ctx.eligible.slice(-3 * N).map((a) => deps.emailIdOf((normalizeEmail(a) as { email: NormalizedEmail }).email));
    const ours = ids.slice(0, N);
    const raws = ids.slice(N, 2 * N);
    const updates = ids.slice(2 * N);
    const body = 'List-Unsubscribe=One-Click';

    ctx.progress(`one-click: ${N} unsubscribes through the app, interleaved with the raw writes`);
    const app_ms: number[] = [];
    const put_ms: number[] = [];
    const update_ms: number[] = [];
    for (let i = 0; i < N; i++) {
      const url = unsubscribeUrl('http://127.0.0.1:3000', deps.tokens, { brand: 'livlog', emailId: ours[i] as string, topic: 'newsletter' });
      let t = performance.now();
      // With its Content-Length, as a mailbox provider sends it (and API Gateway passes it on).
      const res = await app.request(new URL(url).pathname, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length) },
        body,
      });
      app_ms.push(performance.now() - t);
      if (res.status !== 200) throw new Error(`one-click answered ${res.status}`);

      const key = { pk: { S: `SUB#${raws[i]}` }, sk: { S: 'PROFILE' } };
      const item = (await deps.db.client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item ?? key;
      t = performance.now();
      await deps.db.client.send(new PutItemCommand({ TableName: table, Item: item }));
      put_ms.push(performance.now() - t);

      // The very topic value and event the app writes (same wording, same size), marshalled by hand.
      const brand = deps.config.brands.get('livlog');
      const decided = unsubscribeSubscribedTopic('livlog', 'newsletter', {
        at: deps.clock.now(),
        source: 'one-click',
        wording: consentWording('one-click', 'ja', brand?.name.ja ?? 'LivLog'),
        policyVersion: deps.config.policyVersion,
      });
      t = performance.now();
      await deps.db.client.send(
        new UpdateItemCommand({
          TableName: table,
          Key: { pk: { S: `SUB#${updates[i]}` }, sk: { S: 'PROFILE' } },
          ...fastPathExpressions('livlog', 'newsletter'),
          ExpressionAttributeValues: {
            ':topic': { M: marshall(decided.topic) },
            ':at': { S: decided.topic.at },
            ':none': { L: [] },
            ':events': { L: [{ M: marshall(decided.event) }] },
            ':subscribed': { S: 'subscribed' },
          },
        }),
      );
      update_ms.push(performance.now() - t);
    }
    const p = (xs: number[], q: number) => percentile(xs, q);
    const update = (q: number) => ({ name: `raw UpdateItem of the fast path, p${q}`, value: p(update_ms, q) });
    const put = (q: number) => ({ name: `raw PutItem of the item, p${q}`, value: p(put_ms, q) });
    return [
      // The goal: the design's one write, the fast path's own expression, is the floor.
      row({ figure: 'one-click: p50', value: p(app_ms, 50), unit: 'ms', baseline: update(50), goal: '≤ 1.3' }, (r) => r <= 1.3),
      row({ figure: 'one-click: p99', value: p(app_ms, 99), unit: 'ms', baseline: update(99), goal: '≤ 1.3' }, (r) => r <= 1.3),
      // What DynamoDB Local takes for a plain put of the same item, for comparison with earlier runs.
      row({ figure: 'one-click: p50', value: p(app_ms, 50), unit: 'ms', baseline: put(50), goal: 'report' }, () => true),
      row({ figure: 'one-click: p99', value: p(app_ms, 99), unit: 'ms', baseline: put(99), goal: 'report' }, () => true),
    ];
  },
};

import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { unsubscribeSubscribedTopic } from '../../functions/core/consent';
import { consentWording } from '../../functions/core/consent-wording';
import { type NormalizedEmail, normalizeEmail } from '../../functions/core/email';
import { createApp } from '../../functions/http';
import { unsubscribeUrl } from '../../functions/mail/list-unsubscribe';
import { createInProcessCampaignQueue } from '../../functions/queue/campaign-queue';
import { createRateLimiter } from '../../functions/queue/rate-limiter';
import { fastPathExpressions } from '../../functions/store/one-click';
import { applySesEvent } from '../../functions/use-cases/apply-ses-event';
import { runCampaign } from '../../functions/use-cases/run-campaign';
import { verifyUrlOf } from '../../functions/use-cases/submit-inquiry';
import { bounceEvent, deliveryEvent } from '../../test/support/ses-events';
import { itemBytes, meterCapacity, readUnitsOf, type Units, writeUnitsOf } from '../capacity';
import { type BenchContext, type BenchRow, type Figure, row } from '../context';

const ADMIN = { authorization: 'Bearer bench-admin-token-0123456789', 'content-type': 'application/json' };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const JSON_BODY = { 'content-type': 'application/json' };
const r2 = (n: number) => Number(n.toFixed(2));
const CLIENT = { incoming: { socket: { remoteAddress: '203.0.113.50' } } };

/**
 * The DynamoDB units each main operation consumes, through the app as a client calls it, beside
 * its floor: each item the operation must leave changed written once, plainly (not in a
 * transaction), at its final size, and each item it must read read once, eventually consistent.
 * The floor is what any design storing the same items would pay; the gap is what ours adds
 * (transactions, ledger events, idempotency marks, counters). Units come from DynamoDB Local's
 * `ConsumedCapacity` answers (bench/capacity.ts).
 */
export const capacityFigure: Figure = {
  name: 'capacity',
  async run(ctx: BenchContext) {
    const { deps } = ctx;
    const meter = meterCapacity(deps.db.client);
    const app = createApp(deps);
    const table = deps.db.tableName;
    const get = async (key: { pk: string; sk: string }) =>
      (await deps.db.doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item ?? {};
    const idOf = (addr: string) => deps.emailIdOf((normalizeEmail(addr) as { email: NormalizedEmail }).email);
    const expect = (res: Response, status: number, what: string) => {
      if (res.status !== status) throw new Error(`capacity: ${what} answered ${res.status}`);
    };
    const rows: BenchRow[] = [];
    const add = (figure: string, used: Units, floor: { read: number; write: number }, note: string) =>
      rows.push(
        row(
          {
            figure: `capacity: ${figure}`,
            value: used.read + used.write,
            unit: `units (${r2(used.write)} W + ${r2(used.read)} R)`,
            baseline: { name: `floor, ${floor.write} W + ${floor.read} R (${note})`, value: floor.read + floor.write },
            goal: 'report',
          },
          () => true,
        ),
      );

    ctx.progress('capacity: one operation of each kind, metered');
    // Seeded subscribers the other figures leave alone.
    const [clickAddr, rawAddr, campaignAddr, filterAddr] = ctx.eligible.slice(3000, 3004) as [string, string, string, string];
    // One work item's worth (50), so that what a campaign pays once is shared as in a real one.
    const campaignAddrs = [campaignAddr, ...ctx.eligible.slice(3010, 3059)];

    const clickUrl = unsubscribeUrl('http://127.0.0.1:3000', deps.tokens, { brand: 'livlog', emailId: idOf(clickAddr), topic: 'newsletter' });
    const click = await meter.measure(async () =>
      expect(await app.request(new URL(clickUrl).pathname, { method: 'POST', headers: FORM, body: 'List-Unsubscribe=One-Click' }), 200, 'one-click'),
    );
    const decided = unsubscribeSubscribedTopic('livlog', 'newsletter', {
      at: deps.clock.now(),
      source: 'one-click',
      wording: consentWording('one-click', 'ja', 'LivLog'),
      policyVersion: deps.config.policyVersion,
    });
    const raw = await meter.measure(() =>
      deps.db.client.send(
        new UpdateItemCommand({
          TableName: table,
          Key: { pk: { S: `SUB#${idOf(rawAddr)}` }, sk: { S: 'PROFILE' } },
          ...fastPathExpressions('livlog', 'newsletter'),
          ExpressionAttributeValues: {
            ':topic': { M: marshall(decided.topic) },
            ':at': { S: decided.topic.at },
            ':none': { L: [] },
            ':events': { L: [{ M: marshall(decided.event) }] },
            ':subscribed': { S: 'subscribed' },
          },
        }),
      ),
    );
    add('one-click unsubscribe', click, raw, 'the raw UpdateItem of the same expression');

    const subscriber = `capacity.${Date.now()}@example.com`;
    const subscribe = await meter.measure(async () => {
      const res = await app.request(
        '/v1/subscriptions',
        { method: 'POST', headers: JSON_BODY, body: JSON.stringify({ brand: 'livlog', email: subscriber, topics: ['newsletter'], locale: 'ja' }) },
        CLIENT,
      );
      expect(res, 202, 'subscribe');
      const token = deps.tokens.sign('confirm', { b: 'livlog', e: idOf(subscriber), t: ['newsletter'], l: 'ja' });
      expect(await app.request(`/confirm/${token}`, { method: 'POST', headers: FORM, body: 'locale=ja' }, CLIENT), 200, 'confirm');
    });
    const profile = itemBytes(await get({ pk: `SUB#${idOf(subscriber)}`, sk: 'PROFILE' }));
    add('subscribe and confirm', subscribe, { write: 2 * writeUnitsOf(profile), read: 0 }, 'the profile written at each step');

    const filter = await meter.measure(async () =>
      expect(
        await app.request('/v1/sends/filter', {
          method: 'POST',
          headers: ADMIN,
          body: JSON.stringify({ brand: 'livlog', topic: 'newsletter', category: 'marketing', recipients: [filterAddr] }),
        }),
        200,
        'filter',
      ),
    );
    add('filter one recipient', filter, { write: 0, read: readUnitsOf(profile) }, 'one read of the profile');

    const campaignId = `capacity-${Date.now()}`;
    // The worker sends and settles a chunk of what the rate allows in a second (at most 50), one
    // counter move a chunk: measured at 14 mails a second, where a new production account's SES
    // quota starts (the bench's own config has the sandbox's 1/s, a counter move a mail). The
    // limiter itself does not wait, so the figure takes no longer.
    const campaignDeps = { ...deps, config: { ...deps.config, campaignSendRate: 14 } };
    const limiter = createRateLimiter(1000);
    const queue = createInProcessCampaignQueue((work, signal) => runCampaign(campaignDeps, work, { limiter, signal }), deps.logger);
    deps.campaignQueue = queue;
    const campaign = await meter.measure(async () => {
      const body = {
        brand: 'livlog',
        topic: 'newsletter',
        category: 'marketing',
        campaignId,
        content: { subject: 'Bench', text: 'Hello' },
        recipients: campaignAddrs.map((email) => ({ email })),
      };
      expect(await app.request(`/v1/campaigns/${campaignId}/recipients`, { method: 'POST', headers: ADMIN, body: JSON.stringify(body) }), 202, 'recipients');
      await queue.idle();
    });
    delete deps.campaignQueue;
    const recipient = await get({ pk: `CAMP#${campaignId}`, sk: `RCPT#${idOf(campaignAddr)}` });
    if (recipient.status !== 'sent') throw new Error(`capacity: the campaign recipient ended ${String(recipient.status)}`);
    const rBytes = itemBytes(recipient);
    const per = (u: Units): Units => ({ read: u.read / campaignAddrs.length, write: u.write / campaignAddrs.length, failedWrites: u.failedWrites });
    add(
      `one campaign recipient, accepted to sent (a campaign of ${campaignAddrs.length})`,
      per(campaign),
      { write: 2 * writeUnitsOf(rBytes), read: readUnitsOf(profile) },
      'the recipient stored and settled, the profile read',
    );

    // A send of one recipient through the synchronous route (a marketing send here; a transactional
    // one, with its purpose, writes the same items).
    const sendAddr = ctx.eligible[3005] as string;
    const sendId = `capacity-send-${Date.now()}`;
    const send = await meter.measure(async () => {
      const body = {
        brand: 'livlog',
        topic: 'newsletter',
        category: 'marketing',
        campaignId: sendId,
        content: { subject: 'Bench', text: 'Hello' },
        recipients: [{ email: sendAddr }],
      };
      const res = await app.request('/v1/sends', { method: 'POST', headers: ADMIN, body: JSON.stringify(body) });
      expect(res, 200, 'send');
      const [result] = ((await res.json()) as { results: { status: string }[] }).results;
      if (result?.status !== 'sent') throw new Error(`capacity: the send ended ${String(result?.status)}`);
    });
    const sent = await get({ pk: `CAMP#${sendId}`, sk: `RCPT#${idOf(sendAddr)}` });
    add(
      'a send of one recipient (`POST /v1/sends`)',
      send,
      { write: 2 * writeUnitsOf(itemBytes(sent)), read: readUnitsOf(profile) },
      'the recipient claimed and settled, the profile read',
    );

    // Every marketing mail brings a delivery event (the rule takes them), a few a bounce.
    const delivered = await meter.measure(() =>
      applySesEvent(deps, deliveryEvent({ to: campaignAddr, at: deps.clock.now(), brand: 'livlog', topic: 'newsletter', campaign: campaignId })),
    );
    add('one SES event (a delivery)', delivered, { write: 1, read: 0 }, 'one mark, so that a repeated event counts once');
    const ses = await meter.measure(() =>
      applySesEvent(
        deps,
        bounceEvent({ to: campaignAddr, at: deps.clock.now(), brand: 'livlog', topic: 'newsletter', campaign: campaignId, bounceType: 'Permanent' }),
      ),
    );
    add('one SES event (a permanent bounce)', ses, { write: writeUnitsOf(profile), read: 0 }, 'the suppression written on the profile');

    const requester = `capacity.inquiry.${Date.now()}@example.com`;
    let reference = '';
    const inquiry = await meter.measure(async () => {
      const res = await app.request(
        '/v1/inquiries',
        {
          method: 'POST',
          headers: JSON_BODY,
          body: JSON.stringify({ brand: 'livlog', type: 'access', email: requester, message: 'What do you hold?', locale: 'en' }),
        },
        CLIENT,
      );
      expect(res, 202, 'inquiry');
      reference = ((await res.json()) as { reference: string }).reference;
      const verify = new URL(verifyUrlOf(deps, reference)).pathname;
      expect(await app.request(verify, { method: 'POST', headers: FORM, body: '' }, CLIENT), 200, 'verify');
      expect(await app.request(`/admin/inquiries/${reference}/fulfil`, { method: 'POST', headers: ADMIN, body: '{}' }), 200, 'fulfil');
    });
    const inq = itemBytes(await get({ pk: `INQ#${reference}`, sk: 'INQ' }));
    const exportItems =
      (
        await deps.db.doc.send(
          new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `EXPORT#${reference}` } }),
        )
      ).Items ?? [];
    const exportWrites = exportItems.reduce((s, item) => s + writeUnitsOf(itemBytes(item)), 0);
    add(
      'an access inquiry, intake to completion',
      inquiry,
      { write: 3 * writeUnitsOf(inq) + exportWrites, read: readUnitsOf(profile) },
      'the inquiry at its three steps, the export, the person read',
    );
    return rows;
  },
};

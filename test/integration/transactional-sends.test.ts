import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type APIGatewayProxyResult, handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscriber } from '../../functions/core/subscriber';
import { createDeps, type Deps } from '../../functions/deps';
import { createApp } from '../../functions/http';
import { silentLogger } from '../../functions/log';
import { readCampaignCounts } from '../../functions/store/campaigns';
import { keys } from '../../functions/store/keys';
import { readSubscriberRecords } from '../../functions/store/subscriber-records';
import { updateSubscriber } from '../../functions/store/subscribers';
import { inProcessCampaignQueue } from '../../functions/wiring';
import { mailsTo, waitForMails } from '../support/inbox';
import { createTestStack, emailIdFor, TEST_ADMIN_TOKEN, type TestStack, testConfig, uniqueEmail } from '../support/stack';

/**
 * CONTRACT.md "Sending", transactional is not a way around consent: a transactional send names a
 * purpose of the brand (recorded with the send, tagged in SES), marketing names a topic and no
 * purpose, and in AWS only the roles of the deploy setting may send transactional mail.
 */
let stack: TestStack;
/** The SES message tags of every SendEmail / SendBulkEmail call, as they left for the local SES. */
const sentTags: { to: string[]; tags: Record<string, string> }[] = [];

beforeAll(async () => {
  stack = await createTestStack({ config: { CAMPAIGN_SEND_RATE: '1000' } });
  (await stack.deps.ses()).middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as {
        EmailTags?: { Name: string; Value: string }[];
        DefaultEmailTags?: { Name: string; Value: string }[];
        Destination?: { ToAddresses?: string[] };
        BulkEmailEntries?: { Destination?: { ToAddresses?: string[] } }[];
      };
      const tags = input.EmailTags ?? input.DefaultEmailTags;
      if (tags) {
        const to = input.Destination?.ToAddresses ?? input.BulkEmailEntries?.flatMap((e) => e.Destination?.ToAddresses ?? []) ?? [];
        sentTags.push({ to, tags: Object.fromEntries(tags.map((t) => [t.Name, t.Value])) });
      }
      return next(args);
    },
    { step: 'initialize', name: 'recordSesTags' },
  );
});
afterAll(() => stack.dispose());

const at = '2026-11-29T08:00:00.000Z';
const tagsFor = (addr: string) => sentTags.find((s) => s.to.includes(addr))?.tags;

/** A livlog subscriber confirmed for the newsletter. */
async function consenting(addr: string) {
  await updateSubscriber(stack.deps.db, stack.clock, emailIdFor(stack, addr), (sub) => {
    const next: Subscriber = structuredClone(sub);
    next.email = addr;
    next.brands.livlog = { topics: { newsletter: { state: 'subscribed', at } } };
    return { next, events: [] };
  });
}

const call = (s: { app: TestStack['app'] }, method: string, path: string, body?: unknown) =>
  s.app.request(path, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const transactional = { brand: 'livlog', category: 'transactional' as const };
const marketing = { brand: 'livlog', topic: 'newsletter', category: 'marketing' as const };
const content = { content: { subject: 'Your order', text: 'It ships tomorrow.' } };
const detailPaths = async (res: Response) => ((await res.json()) as { error: { details: { path: string }[] } }).error.details.map((d) => d.path);

describe('transactional sends name a purpose (local stack, admin token)', () => {
  it('sends with a purpose and no topic: the purpose on the send record and as an SES tag, no List-Unsubscribe', async () => {
    const to = uniqueEmail('tx-order');
    const res = await call(stack, 'POST', '/v1/sends', {
      ...transactional,
      purpose: 'order',
      campaignId: 'tx-order-1',
      ...content,
      recipients: [{ email: to }],
    });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: { status: string; messageId?: string }[] };
    expect(results).toEqual([expect.objectContaining({ email: to, status: 'sent' })]);

    const [mail] = await waitForMails(to);
    expect(mail?.subject).toBe('Your order');
    expect((mail?.headers ?? []).some((h) => h.name.toLowerCase() === 'list-unsubscribe')).toBe(false);
    expect(tagsFor(to)).toEqual({ brand: 'livlog', campaign: 'tx-order-1', category: 'transactional', purpose: 'order' });
    const records = await readSubscriberRecords(stack.deps.db, emailIdFor(stack, to));
    expect(records.sends).toEqual([
      expect.objectContaining({ brand: 'livlog', category: 'transactional', purpose: 'order', campaignId: 'tx-order-1', messageId: results[0]?.messageId }),
    ]);
    expect(records.sends[0]).not.toHaveProperty('topic');
  });

  it('keeps a topic given to a transactional send as a label (SES tag and send record)', async () => {
    const to = uniqueEmail('tx-label');
    const res = await call(stack, 'POST', '/v1/sends', {
      ...transactional,
      topic: 'receipts',
      purpose: 'account',
      campaignId: 'tx-label-1',
      ...content,
      recipients: [{ email: to }],
    });
    expect(res.status).toBe(200);
    await waitForMails(to);
    expect(tagsFor(to)).toMatchObject({ topic: 'receipts', purpose: 'account' });
    expect((await readSubscriberRecords(stack.deps.db, emailIdFor(stack, to))).sends).toEqual([
      expect.objectContaining({ topic: 'receipts', purpose: 'account' }),
    ]);
  });

  it('refuses a transactional send without a purpose, or with one the brand does not have: 400 naming purpose, nothing sent or stored', async () => {
    for (const [i, purpose] of [undefined, 'newsletter', 'ORDER'].entries()) {
      const to = uniqueEmail('tx-nopurpose');
      const res = await call(stack, 'POST', '/v1/sends', { ...transactional, purpose, campaignId: `tx-bad-${i}`, ...content, recipients: [{ email: to }] });
      expect(res.status, String(purpose)).toBe(400);
      expect(await detailPaths(res)).toEqual(['purpose']);
      expect(await mailsTo(to)).toHaveLength(0);
      expect((await readSubscriberRecords(stack.deps.db, emailIdFor(stack, to))).sends).toEqual([]);
    }
  });

  it('refuses a marketing send that names a purpose, and one without a topic: 400, nothing sent', async () => {
    const to = uniqueEmail('mk-purpose');
    await consenting(to);
    const withPurpose = await call(stack, 'POST', '/v1/sends', { ...marketing, purpose: 'order', campaignId: 'mk-p', ...content, recipients: [{ email: to }] });
    expect(withPurpose.status).toBe(400);
    expect(await detailPaths(withPurpose)).toEqual(['purpose']);
    const { topic: _topic, ...noTopic } = marketing;
    const withoutTopic = await call(stack, 'POST', '/v1/sends', { ...noTopic, campaignId: 'mk-t', ...content, recipients: [{ email: to }] });
    expect(withoutTopic.status).toBe(400);
    expect(await detailPaths(withoutTopic)).toEqual(['topic']);
    expect(await mailsTo(to)).toHaveLength(0);
  });

  it('applies the same rule to campaigns: refused without a purpose (nothing stored), sent with one and the purpose recorded', async () => {
    const refused = await call(stack, 'POST', '/v1/campaigns/tx-camp-bad/recipients', {
      ...transactional,
      campaignId: 'tx-camp-bad',
      ...content,
      recipients: [{ email: uniqueEmail('tx-camp') }],
    });
    expect(refused.status).toBe(400);
    expect(await detailPaths(refused)).toEqual(['purpose']);
    expect(await readCampaignCounts(stack.deps.db, 'tx-camp-bad')).toBeUndefined();

    const to = [uniqueEmail('tx-camp'), uniqueEmail('tx-camp')];
    const body = { ...transactional, purpose: 'service-notice', campaignId: 'tx-camp', ...content, recipients: to.map((email) => ({ email })) };
    const res = await call(stack, 'POST', '/v1/campaigns/tx-camp/recipients', body);
    expect(res.status).toBe(202);
    await (stack.deps.campaignQueue as ReturnType<typeof inProcessCampaignQueue>).idle();
    expect((await readCampaignCounts(stack.deps.db, 'tx-camp'))?.counts).toEqual({ accepted: 2, pending: 0, sent: 2, skipped: 0, failed: 0 });
    for (const e of to) {
      expect((await readSubscriberRecords(stack.deps.db, emailIdFor(stack, e))).sends).toEqual([
        expect.objectContaining({ category: 'transactional', purpose: 'service-notice', campaignId: 'tx-camp' }),
      ]);
    }
    // The campaign keeps its first purpose: another one for the same campaign is refused.
    const other = await call(stack, 'POST', '/v1/campaigns/tx-camp/recipients', { ...body, purpose: 'security' });
    expect(other.status).toBe(400);
    expect(await detailPaths(other)).toEqual(['campaignId']);
  });

  it('keeps a campaign to the mail of its first call: another mail is refused 400 naming it, the same mail accepted', async () => {
    const to = uniqueEmail('camp-mail');
    const body = { ...transactional, purpose: 'service-notice', campaignId: 'camp-mail', ...content, recipients: [{ email: to }] };
    expect((await call(stack, 'POST', '/v1/campaigns/camp-mail/recipients', body)).status).toBe(202);
    const otherContent = await call(stack, 'POST', '/v1/campaigns/camp-mail/recipients', {
      ...body,
      content: { subject: 'Another mail', text: 'Not the first one.' },
      recipients: [{ email: uniqueEmail('camp-mail') }],
    });
    expect(otherContent.status).toBe(400);
    expect(await detailPaths(otherContent)).toEqual(['content']);
    // The same mail again, its keys in another order, is the same campaign.
    const again = await call(stack, 'POST', '/v1/campaigns/camp-mail/recipients', {
      ...body,
      content: { text: content.content.text, subject: content.content.subject },
      recipients: [{ email: uniqueEmail('camp-mail') }],
    });
    expect(again.status).toBe(202);
  });

  it('accepts any mail for a campaign stored before the mail was fixed (no hash on it), as before', async () => {
    const body = { ...transactional, purpose: 'service-notice', campaignId: 'camp-legacy', ...content, recipients: [{ email: uniqueEmail('camp-legacy') }] };
    expect((await call(stack, 'POST', '/v1/campaigns/camp-legacy/recipients', body)).status).toBe(202);
    await stack.deps.db.doc.send(
      new UpdateCommand({ TableName: stack.deps.db.tableName, Key: keys.campaignMeta('camp-legacy'), UpdateExpression: 'REMOVE mailHash' }),
    );
    const later = await call(stack, 'POST', '/v1/campaigns/camp-legacy/recipients', {
      ...body,
      content: { subject: 'Another mail', text: 'Not the first one.' },
      recipients: [{ email: uniqueEmail('camp-legacy') }],
    });
    expect(later.status).toBe(202);
  });

  it('lets the read-only filter leave the purpose out, and checks one it is given', async () => {
    const to = uniqueEmail('tx-filter');
    const without = await call(stack, 'POST', '/v1/sends/filter', { ...transactional, recipients: [to] });
    expect(without.status).toBe(200);
    expect(await without.json()).toEqual({ eligible: [to], skipped: [] });
    expect((await call(stack, 'POST', '/v1/sends/filter', { ...transactional, purpose: 'order', recipients: [to] })).status).toBe(200);
    const bad = await call(stack, 'POST', '/v1/sends/filter', { ...transactional, purpose: 'newsletter', recipients: [to] });
    expect(bad.status).toBe(400);
    expect(await detailPaths(bad)).toEqual(['purpose']);
    const marketingWithPurpose = await call(stack, 'POST', '/v1/sends/filter', { ...marketing, purpose: 'order', recipients: [to] });
    expect(await detailPaths(marketingWithPurpose)).toEqual(['purpose']);
  });
});

describe('who may send transactional in AWS (API Gateway HTTP API v2 events with IAM auth)', () => {
  const ALLOWED = 'orders-mailer';
  let aws: Deps;
  let handler: ReturnType<typeof handle>;
  beforeAll(() => {
    aws = createDeps(
      { ...testConfig({ CAMPAIGN_SEND_RATE: '1000' }), adminAuth: { mode: 'iam' }, transactionalSenderRoles: [ALLOWED] },
      { logger: silentLogger, db: stack.deps.db, clock: stack.clock },
    );
    aws.campaignQueue = inProcessCampaignQueue(aws);
    handler = handle(createApp(aws));
  });

  /** A privileged request as API Gateway hands it to Lambda after SigV4 was checked (payload 2.0). */
  const signedEvent = (path: string, body: unknown, iam: Record<string, unknown>) => ({
    version: '2.0',
    routeKey: `POST ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'abc123.execute-api.ap-northeast-1.amazonaws.com', 'content-type': 'application/json', 'user-agent': 'vitest' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      authorizer: {
        iam: { accessKey: 'ASIAEXAMPLE', accountId: '123456789012', callerId: 'AROAEXAMPLE:s', cognitoIdentity: null, principalOrgId: null, ...iam },
      },
      domainName: 'abc123.execute-api.ap-northeast-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp: '198.51.100.7', userAgent: 'vitest' },
      requestId: 'lambda-request-id-tx',
      routeKey: `POST ${path}`,
      stage: '$default',
      time: '29/Nov/2026:09:00:00 +0000',
      timeEpoch: 1795856400000,
    },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  });
  const invoke = async (path: string, body: unknown, iam: Record<string, unknown>) => {
    const res = (await handler(signedEvent(path, body, iam) as unknown as LambdaEvent, {} as LambdaContext)) as APIGatewayProxyResult;
    return { status: res.statusCode, body: JSON.parse(res.body) as Record<string, unknown> };
  };
  const role = (name: string) => ({ userArn: `arn:aws:sts::123456789012:assumed-role/${name}/session-1`, userId: 'AROAEXAMPLE:session-1' });

  it('sends transactional mail for a session of a role the setting names', async () => {
    const to = uniqueEmail('aws-allowed');
    const res = await invoke(
      '/v1/sends',
      { ...transactional, purpose: 'security', campaignId: 'aws-ok', ...content, recipients: [{ email: to }] },
      role(ALLOWED),
    );
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([expect.objectContaining({ status: 'sent' })]);
    expect(await waitForMails(to)).toHaveLength(1);
  });

  it('answers 403 forbidden to the marketing role, an IAM user of the same name and a caller without an ARN: nothing stored or sent', async () => {
    const callers = {
      'the marketing pipeline role': role('marketing-pipeline'),
      'an IAM user named like the role': { userArn: `arn:aws:iam::123456789012:user/${ALLOWED}`, userId: 'AIDAEXAMPLE' },
      'a role whose name only starts like it': role(`${ALLOWED}-old`),
      'no ARN at all': {},
    };
    for (const [who, iam] of Object.entries(callers)) {
      const to = uniqueEmail('aws-refused');
      const send = await invoke('/v1/sends', { ...transactional, purpose: 'order', campaignId: 'aws-no', ...content, recipients: [{ email: to }] }, iam);
      expect(send.status, who).toBe(403);
      expect(send.body).toMatchObject({ error: { code: 'forbidden' } });
      const camp = await invoke(
        '/v1/campaigns/aws-no-camp/recipients',
        { ...transactional, purpose: 'order', campaignId: 'aws-no-camp', ...content, recipients: [{ email: to }] },
        iam,
      );
      expect(camp.status, who).toBe(403);
      expect(await mailsTo(to), who).toHaveLength(0);
      expect((await readSubscriberRecords(stack.deps.db, emailIdFor(stack, to))).sends, who).toEqual([]);
    }
    expect(await readCampaignCounts(stack.deps.db, 'aws-no-camp')).toBeUndefined();
  });

  it('lets the marketing role send marketing, and filter transactional (it sends nothing)', async () => {
    const to = uniqueEmail('aws-marketing');
    await consenting(to);
    const send = await invoke('/v1/sends', { ...marketing, campaignId: 'aws-mk', ...content, recipients: [{ email: to }] }, role('marketing-pipeline'));
    expect(send.status).toBe(200);
    expect(send.body.results).toEqual([expect.objectContaining({ status: 'sent' })]);
    const filter = await invoke('/v1/sends/filter', { ...transactional, recipients: [to] }, role('marketing-pipeline'));
    expect(filter.status).toBe(200);
  });
});

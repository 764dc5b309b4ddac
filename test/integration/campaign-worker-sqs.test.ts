import { execFile } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type NormalizedEmail, normalizeEmail } from '../../functions/core/email';
import type { Subscriber } from '../../functions/core/subscriber';
import { silentLogger } from '../../functions/log';
import { decodeCampaignMessage, encodeCampaignMessage } from '../../functions/queue/campaign-message';
import {
  type CampaignQueue,
  type CampaignWork,
  campaignMessageBatches,
  createInProcessCampaignQueue,
  createSqsCampaignQueue,
} from '../../functions/queue/campaign-queue';
import { readCampaignCounts } from '../../functions/store/campaigns';
import { updateSubscriber } from '../../functions/store/subscribers';
import { addCampaignRecipients } from '../../functions/use-cases/add-campaign-recipients';
import { bundleHandler, PROJECT_ROOT } from '../../lib/bundling';
import { FUNCTION_ENTRIES } from '../../lib/function-entries';
import { mailsTo } from '../support/inbox';
import { createTestStack, TEST_KEYS, TEST_PEPPER, type TestStack, uniqueEmail } from '../support/stack';

/**
 * The AWS path of a campaign: the campaign-worker bundle, built as it is deployed, fed the SQS
 * events Lambda delivers, against DynamoDB Local and the local SES. There is no local SQS, so the
 * queue in the middle is the one stand-in: it keeps what the producer hands it, and the test
 * delivers those messages as Lambda would.
 */

// Inside the project, so that the bundle's `@aws-sdk/*` imports (external, as in Lambda) resolve.
const dir = join(PROJECT_ROOT, 'tmp', `campaign-worker-${randomBytes(4).toString('hex')}`);
let workerFile: string;
let stack: TestStack;
let brandsFile: string;

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  workerFile = (await bundleHandler(FUNCTION_ENTRIES.campaignWorker.entry, join(dir, 'worker'))).outfile;
  // The worker's brands file lacks chroco: a brand retired while one of its campaigns was queued,
  // the one fault of a well-formed message that real parts produce on cue.
  const brands = JSON.parse(readFileSync(join(PROJECT_ROOT, 'functions/brands.json'), 'utf8')) as { brands: { id: string }[] };
  brandsFile = join(dir, 'brands.json');
  writeFileSync(brandsFile, JSON.stringify({ ...brands, brands: brands.brands.filter((b) => b.id !== 'chroco') }));
  stack = await createTestStack();
}, 120_000);
afterAll(async () => {
  await stack?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, unknown>;
  md5OfBody: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

/** One record as Lambda's SQS poller delivers it (`SQSRecord` of @types/aws-lambda). */
function sqsRecord(body: string, { messageId = randomUUID() as string, receiveCount = 1 } = {}): SqsRecord {
  const sent = String(Date.now() - 1000);
  return {
    messageId,
    receiptHandle: `AQEB${randomBytes(96).toString('base64')}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: sent,
      SenderId: 'AROAIWPX5BD2BHG722MW4:PrivacyStateless-ApiPrivileged',
      ApproximateFirstReceiveTimestamp: sent,
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:ap-northeast-1:123456789012:PrivacyStateless-CampaignQueue',
    awsRegion: 'ap-northeast-1',
  };
}

/** The same message again, as SQS redelivers it after the visibility timeout. */
const redelivered = (r: SqsRecord): SqsRecord => ({
  ...sqsRecord(r.body, { messageId: r.messageId, receiveCount: Number(r.attributes.ApproximateReceiveCount) + 1 }),
});

interface Invocation {
  results: { batchItemFailures: { itemIdentifier: string }[] }[];
  /** When the handler's first call began and its last ended (epoch ms), cold start excluded. */
  startedAt: number;
  endedAt: number;
  logs: { level: string; msg: string; [k: string]: unknown }[];
  stdout: string;
}

/** Starts the bundle in a fresh Node process (a cold container) and hands it each event in turn. */
function invokeWorker(events: { Records: SqsRecord[] }[], extraEnv: Record<string, string> = {}): Promise<Invocation> {
  const script = `
    const { handler } = await import(${JSON.stringify(pathToFileURL(workerFile).href)});
    const events = JSON.parse(process.env.EVENTS);
    const results = [];
    const startedAt = Date.now();
    for (const [i, event] of events.entries()) {
      const context = { functionName: 'PrivacyStateless-CampaignWorker', awsRequestId: 'req-' + i, getRemainingTimeInMillis: () => 60000 };
      results.push(await handler(event, context));
    }
    console.log('@@result ' + JSON.stringify({ results, startedAt, endedAt: Date.now() }));`;
  const env = {
    PATH: process.env.PATH ?? '',
    EVENTS: JSON.stringify(events),
    TABLE_NAME: stack.deps.config.tableName,
    AWS_REGION: 'ap-northeast-1',
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    SES_ENDPOINT: inject('sesEndpoint'),
    PUBLIC_BASE_URL: 'https://privacy.livlog.jp',
    TOKEN_KEYS: JSON.stringify(TEST_KEYS),
    TOKEN_SIGNING_KEY_ID: 't1',
    EMAIL_PEPPER: TEST_PEPPER,
    CAMPAIGN_SEND_RATE: '1000',
    BRANDS_FILE: brandsFile,
    LOG_LEVEL: 'info',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extraEnv,
  };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`worker process failed: ${err.message}\n${stderr}`));
      const lines = stdout.trim().split('\n');
      const result = lines.find((l) => l.startsWith('@@result '));
      if (!result) return reject(new Error(`worker printed no result:\n${stdout}\n${stderr}`));
      const logs = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
      resolve({ ...JSON.parse(result.slice('@@result '.length)), logs, stdout });
    });
  });
}

const idOf = (addr: string) => stack.deps.emailIdOf((normalizeEmail(addr) as { email: NormalizedEmail }).email);

async function subscribed(addr: string, brand: string) {
  await updateSubscriber(stack.deps.db, stack.clock, idOf(addr), (sub) => {
    const next: Subscriber = structuredClone(sub);
    next.email = addr;
    next.brands[brand] = { topics: { newsletter: { state: 'subscribed', at: '2026-11-29T08:00:00.000Z' } } };
    return { next, events: [] };
  });
}

/**
 * Creates a campaign through the recipients use case and returns the message bodies the SQS
 * producer (`createSqsCampaignQueue`) would send for it: its own `campaignMessageBatches`.
 */
async function startCampaign(campaignId: string, brand: string, audience: string[]): Promise<string[]> {
  const work: CampaignWork[] = [];
  const queue: CampaignQueue = { enqueue: async (w) => void work.push(...w) };
  await Promise.all(audience.map((a) => subscribed(a, brand)));
  await addCampaignRecipients(
    { ...stack.deps, campaignQueue: queue },
    {
      campaignId,
      brand,
      topic: 'newsletter',
      category: 'marketing',
      content: { subject: `News ${campaignId}`, text: 'Hello {{unsubscribeUrl}}' },
      recipients: audience.map((email) => ({ email })),
    },
  );
  return campaignMessageBatches(work)
    .flat()
    .map((e) => e.MessageBody as string);
}

const mailCounts = (addrs: string[]) => Promise.all(addrs.map(async (a) => (await mailsTo(a)).length));

describe('campaign worker bundle on SQS events', () => {
  it('reports only the failing message, and a redelivery of the whole batch sends nothing twice', async () => {
    const a = Array.from({ length: 3 }, () => uniqueEmail('sqs-a'));
    const b = Array.from({ length: 2 }, () => uniqueEmail('sqs-b'));
    const c = Array.from({ length: 2 }, () => uniqueEmail('sqs-c'));
    const [bodyA] = await startCampaign('sqs-a', 'livlog', a);
    const [bodyC] = await startCampaign('sqs-c', 'chroco', c);
    const [bodyB] = await startCampaign('sqs-b', 'livlog', b);
    const records = [sqsRecord(bodyA as string), sqsRecord(bodyC as string), sqsRecord(bodyB as string)];

    const first = await invokeWorker([{ Records: records }]);
    expect(first.results).toEqual([{ batchItemFailures: [{ itemIdentifier: records[1]?.messageId }] }]);
    expect(await mailCounts([...a, ...b])).toEqual([1, 1, 1, 1, 1]);
    expect(await mailCounts(c)).toEqual([0, 0]);
    expect(first.logs.some((l) => l.msg === 'campaign message failed' && l.messageId === records[1]?.messageId)).toBe(true);

    // Another container gets the batch again (as when the first timed out before deleting it),
    // with one message twice (a standard queue delivers at least once).
    const again = await invokeWorker([{ Records: [...records, records[0] as SqsRecord].map(redelivered) }]);
    expect(again.results).toEqual([{ batchItemFailures: [{ itemIdentifier: records[1]?.messageId }] }]);
    expect(await mailCounts([...a, ...b])).toEqual([1, 1, 1, 1, 1]);
    expect((await readCampaignCounts(stack.deps.db, 'sqs-a'))?.counts).toEqual({ accepted: 3, pending: 0, sent: 3, skipped: 0, failed: 0 });
    expect((await readCampaignCounts(stack.deps.db, 'sqs-c'))?.counts).toMatchObject({ pending: 2, sent: 0 });
  });

  it('sends nothing twice when a redelivery runs while the first delivery is still at work (two containers at once)', async () => {
    const e = Array.from({ length: 8 }, () => uniqueEmail('sqs-e'));
    const [bodyE] = await startCampaign('sqs-e', 'livlog', e);
    const record = sqsRecord(bodyE as string);
    // Two mails a second: each run takes about four seconds, so the two certainly overlap.
    const slow = { CAMPAIGN_SEND_RATE: '2' };
    const [one, two] = (await Promise.all([invokeWorker([{ Records: [record] }], slow), invokeWorker([{ Records: [redelivered(record)] }], slow)])) as [
      Invocation,
      Invocation,
    ];
    expect(Math.max(one.startedAt, two.startedAt)).toBeLessThan(Math.min(one.endedAt, two.endedAt));
    expect([one.results, two.results]).toEqual([[{ batchItemFailures: [] }], [{ batchItemFailures: [] }]]);
    expect(await mailCounts(e)).toEqual(e.map(() => 1));
    expect((await readCampaignCounts(stack.deps.db, 'sqs-e'))?.counts).toEqual({ accepted: 8, pending: 0, sent: 8, skipped: 0, failed: 0 });
  });

  it('drops a body that can never parse with a log line naming the message, and still works the rest of the batch', async () => {
    const d = Array.from({ length: 2 }, () => uniqueEmail('sqs-d'));
    const [bodyD] = await startCampaign('sqs-d', 'livlog', d);
    const address = uniqueEmail('never-logged');
    const malformed = [
      'not json {',
      JSON.stringify({ emailIds: [idOf(address)] }),
      JSON.stringify({ campaignId: 'sqs-d', emailIds: address }),
      JSON.stringify({ campaignId: 'sqs-d', emailIds: [address] }),
      JSON.stringify({ campaignId: '../other', emailIds: [idOf(address)] }),
      JSON.stringify({ campaignId: 42 }),
      JSON.stringify(['sqs-d']),
      'null',
    ].map((body) => sqsRecord(body, { receiveCount: 1 }));
    const good = sqsRecord(bodyD as string);

    const run = await invokeWorker([{ Records: [...malformed.slice(0, 4), good, ...malformed.slice(4)] }]);
    expect(run.results).toEqual([{ batchItemFailures: [] }]);
    expect(await mailCounts(d)).toEqual([1, 1]);
    const dropped = run.logs.filter((l) => l.msg === 'campaign message dropped: malformed body');
    expect(dropped.map((l) => l.messageId).sort()).toEqual(malformed.map((r) => r.messageId).sort());
    for (const l of dropped) {
      expect(l.level).toBe('error');
      expect(Array.isArray(l.issues) && l.issues.length > 0, JSON.stringify(l)).toBe(true);
    }
    // The body is never logged: it may hold an address a producer put where it should not.
    expect(run.stdout).not.toContain(address);
    expect(run.stdout).not.toContain('never-logged');
  });
});

describe('campaign messages: one schema for producer and worker', () => {
  const id = (n: number) => `${String(n).padStart(2, '0')}${'A'.repeat(41)}`;

  it('sends at most 10 entries a SendMessageBatch call, each a body the worker accepts as the same work', () => {
    const work: CampaignWork[] = Array.from({ length: 23 }, (_, i) =>
      i % 2 ? { campaignId: `c-${i}`, emailIds: [id(i), id(i + 1)] } : { campaignId: `c-${i}` },
    );
    const batches = campaignMessageBatches(work);
    expect(batches.map((b) => b.length)).toEqual([10, 10, 3]);
    expect(batches.flat().map((e) => decodeCampaignMessage(e.MessageBody as string))).toEqual(work.map((w) => ({ ok: true, work: w })));
    for (const b of batches) expect(new Set(b.map((e) => e.Id)).size).toBe(b.length);
  });

  it('refuses at the producer what the worker would drop, before anything is queued', async () => {
    const bad = [
      { campaignId: 'ok', emailIds: ['someone@example.com'] },
      { campaignId: 'has space' },
      { campaignId: 'ok', emailIds: [] },
      { campaignId: 'ok', emailIds: Array.from({ length: 1001 }, (_, i) => id(i % 100)) },
    ];
    for (const w of bad) {
      expect(() => encodeCampaignMessage(w), JSON.stringify(w).slice(0, 80)).toThrow(/campaign work the worker would refuse/);
      expect(decodeCampaignMessage(JSON.stringify(w)).ok).toBe(false);
    }
    expect(() => campaignMessageBatches([{ campaignId: 'fine' }, bad[0] as CampaignWork])).toThrow();
    const ran: string[] = [];
    const local = createInProcessCampaignQueue(async (w) => void ran.push(w.campaignId), silentLogger);
    await expect(local.enqueue([{ campaignId: 'fine' }, bad[1] as CampaignWork])).rejects.toThrow(/would refuse/);
    await local.idle();
    expect(ran).toEqual([]);
    // The SQS producer refuses it before it sends anything (the URL is a closed loopback port).
    const sqs = createSqsCampaignQueue('ap-northeast-1', 'http://127.0.0.1:9/123456789012/CampaignQueue');
    await expect(sqs.enqueue([{ campaignId: 'fine' }, bad[0] as CampaignWork])).rejects.toThrow(/would refuse/);
  });

  it('lets a newer producer add a field without its messages being dropped', () => {
    const decoded = decodeCampaignMessage(JSON.stringify({ campaignId: 'c-new', emailIds: [id(1)], priority: 'high' }));
    expect(decoded).toEqual({ ok: true, work: { campaignId: 'c-new', emailIds: [id(1)] } });
  });
});

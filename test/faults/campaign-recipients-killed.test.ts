import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NormalizedEmail, normalizeEmail } from '../../functions/core/email';
import type { Subscriber } from '../../functions/core/subscriber';
import { keys } from '../../functions/store/keys';
import { updateSubscriber } from '../../functions/store/subscribers';
import { resumeUnfinishedCampaigns } from '../../functions/use-cases/resume-campaigns';
import { inProcessCampaignQueue } from '../../functions/wiring';
import { mailsTo } from '../support/inbox';
import { createTestStack, TEST_ADMIN_TOKEN, type TestStack, testEnv, uniqueEmail } from '../support/stack';

/**
 * Faults while recipients are added to a campaign: the adding process killed (SIGKILL) mid-call,
 * a write refused mid-call, transaction conflicts on the counters. Whatever was stored is counted,
 * nothing that was not; `accepted = pending + sent + skipped + failed`, never negative; and a
 * repeated call answers the rest, so the `accepted` of both calls add up to the distinct recipients.
 */
const env = testEnv({ CAMPAIGN_SEND_RATE: '1000' });
let stack: TestStack;
// One queue for the file: the routes keep the first queue they are given.
let queue: ReturnType<typeof inProcessCampaignQueue>;
beforeAll(async () => {
  stack = await createTestStack({ config: env });
  queue = inProcessCampaignQueue(stack.deps);
  stack.deps.campaignQueue = queue;
});
afterAll(() => stack.dispose());

const at = '2026-11-29T08:00:00.000Z';
const marketing = { brand: 'livlog', topic: 'newsletter', category: 'marketing' as const };
const idOf = (addr: string) => stack.deps.emailIdOf((normalizeEmail(addr) as { email: NormalizedEmail }).email);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function consenting(addr: string) {
  await updateSubscriber(stack.deps.db, stack.clock, idOf(addr), (sub) => {
    const next: Subscriber = structuredClone(sub);
    next.email = addr;
    next.brands.livlog = { topics: { newsletter: { state: 'subscribed', at } } };
    return { next, events: [] };
  });
}

const call = (method: string, path: string, body?: unknown) =>
  stack.app.request(path, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

type Counts = { accepted: number; pending: number; sent: number; skipped: number; failed: number };

async function progress(id: string) {
  const res = await call('GET', `/v1/campaigns/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { counts: Counts; skippedBy: Record<string, number> };
}

/** What is stored under the campaign, item by item: the truth the counters must agree with. */
async function stored(id: string) {
  const tally = { total: 0, pending: 0, claimed: 0, sent: 0, skipped: 0, failed: 0 };
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await stack.deps.db.doc.send(
      new QueryCommand({
        TableName: stack.deps.db.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.campaignMeta(id).pk },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    for (const item of out.Items ?? []) {
      const sk = String(item.sk);
      if (sk.startsWith('RCPT#')) {
        tally.total++;
        tally[item.status as keyof typeof tally]++;
      } else if (sk.startsWith('INVALID#')) {
        tally.total++;
        tally.skipped++;
      }
    }
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return tally;
}

async function anyStored(id: string): Promise<boolean> {
  const out = await stack.deps.db.doc.send(
    new QueryCommand({
      TableName: stack.deps.db.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :r)',
      ExpressionAttributeValues: { ':pk': keys.campaignMeta(id).pk, ':r': 'RCPT#' },
      Limit: 1,
    }),
  );
  return (out.Items ?? []).length > 0;
}

/** The invariant, and the counters equal to the stored items (two reads: only while no worker runs). */
async function expectCountsMatchStore(id: string) {
  const { counts, skippedBy } = await progress(id);
  const items = await stored(id);
  for (const n of Object.values(counts)) expect(n).toBeGreaterThanOrEqual(0);
  expect(counts.accepted).toBe(counts.pending + counts.sent + counts.skipped + counts.failed);
  expect(counts).toEqual({
    accepted: items.total,
    pending: items.pending + items.claimed,
    sent: items.sent,
    skipped: items.skipped,
    failed: items.failed,
  });
  expect(Object.values(skippedBy).reduce((a, b) => a + b, 0)).toBe(counts.skipped);
  return { counts, skippedBy, items };
}

/**
 * 10 consenting, `unknown` never seen (skipped `no-consent` by the worker), `invalid` distinct
 * inputs that are not addresses (skipped at once, so they cost the worker nothing), and three
 * inputs repeated within the call.
 */
async function audience(label: string, unknown: number, invalid: number) {
  const consent = Array.from({ length: 10 }, () => uniqueEmail(label));
  await Promise.all(consent.map(consenting));
  const tag = randomBytes(4).toString('hex');
  const others = Array.from({ length: unknown }, (_, i) => `${label}.${tag}.${i}@example.com`);
  const bad = Array.from({ length: invalid }, (_, i) => `not an address ${tag} ${i}`);
  const inputs = [...consent, ...others, ...bad, bad[0] as string, consent[0] as string, others[0] as string];
  return { consent, inputs, distinct: consent.length + others.length + bad.length };
}

const body = (campaignId: string, inputs: string[]) => ({
  ...marketing,
  campaignId,
  content: { subject: 'Counts', text: 'Hello {{unsubscribeUrl}}' },
  recipients: inputs.map((email) => ({ email })),
});

describe('fault: the process adding recipients is killed (SIGKILL) mid-call', () => {
  it('counts exactly what was stored, resumes it, and the retry answers the rest', { timeout: 120_000 }, async () => {
    const id = 'camp-killed';
    const { consent, inputs, distinct } = await audience('killed', 90, 900);
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../support/campaign-child.ts', import.meta.url))], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += String(d);
    });
    child.stderr.on('data', (d) => {
      output += String(d);
    });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));
    child.stdin.end(JSON.stringify({ env, input: body(id, inputs), writeDelayMs: 100 }));

    // Killed as soon as its first recipients are stored.
    let done = false;
    void exited.then(() => {
      done = true;
    });
    while (!(await anyStored(id))) {
      if (done) throw new Error(`the child ended before storing anything: ${output}`);
      await sleep(5);
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const afterKill = await expectCountsMatchStore(id);
    expect(afterKill.items.total).toBeGreaterThan(0);
    expect(afterKill.items.total).toBeLessThan(distinct);

    // The next start of the local stack hands the unfinished campaign to its queue.
    expect(await resumeUnfinishedCampaigns(stack.deps, queue)).toContain(id);
    await queue.idle();
    const resumed = await expectCountsMatchStore(id);
    expect(resumed.counts).toMatchObject({ accepted: afterKill.items.total, pending: 0 });

    // The caller got no answer and repeats the call.
    const retry = await call('POST', `/v1/campaigns/${id}/recipients`, body(id, inputs));
    expect(retry.status).toBe(202);
    const answer = (await retry.json()) as { accepted: number; duplicates: number };
    expect(answer.accepted + afterKill.items.total).toBe(distinct);
    expect(answer.duplicates).toBe(inputs.length - answer.accepted);
    await queue.idle();

    const final = await expectCountsMatchStore(id);
    expect(final.counts).toEqual({ accepted: distinct, pending: 0, sent: 10, skipped: distinct - 10, failed: 0 });
    expect(final.skippedBy).toEqual({ 'invalid-address': 900, 'no-consent': 90 });
    for (const addr of consent) expect(await mailsTo(addr)).toHaveLength(1);
  });
});

type Injected = (commandName: string, input: Record<string, unknown>) => Error | undefined;

/** Injects a fault into the stack's DynamoDB client before the calls `fault` picks; those never reach DynamoDB Local. */
function injectDynamoFault(name: string, fault: Injected) {
  stack.deps.db.client.middlewareStack.add(
    (next, context) => async (args) => {
      const err = fault(context.commandName ?? '', args.input as Record<string, unknown>);
      if (err) throw err;
      return next(args);
    },
    { step: 'initialize', name },
  );
  return { remove: () => stack.deps.db.client.middlewareStack.remove(name) };
}

const WRITES = new Set(['PutItemCommand', 'TransactWriteItemsCommand', 'BatchWriteItemCommand']);

describe('fault: DynamoDB refuses a write mid-call (injected 503)', () => {
  it('answers 5xx, leaves counts that match what was stored, writes nothing more, and the retry answers the rest', { timeout: 60_000 }, async () => {
    const id = 'camp-refused';
    const { consent, inputs, distinct } = await audience('refused', 90, 800);
    let writes = 0;
    const fault = injectDynamoFault('refuse-third-write', (command) => {
      if (!WRITES.has(command) || ++writes !== 3) return undefined;
      return Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable', $fault: 'server', $metadata: { httpStatusCode: 503 } });
    });
    let first: Response;
    try {
      first = await call('POST', `/v1/campaigns/${id}/recipients`, body(id, inputs));
    } finally {
      fault.remove();
    }
    expect(first.status).toBeGreaterThanOrEqual(500);
    // The chunks stored before the fault were enqueued; the worker settles them first.
    await queue.idle();
    const afterFault = await expectCountsMatchStore(id);
    expect(afterFault.items.total).toBeLessThan(distinct);
    // The failed call has stopped writing by the time it answers.
    await sleep(300);
    expect((await stored(id)).total).toBe(afterFault.items.total);

    const retry = await call('POST', `/v1/campaigns/${id}/recipients`, body(id, inputs));
    expect(retry.status).toBe(202);
    const answer = (await retry.json()) as { accepted: number; duplicates: number };
    expect(answer.accepted + afterFault.items.total).toBe(distinct);
    await queue.idle();
    const final = await expectCountsMatchStore(id);
    expect(final.counts).toMatchObject({ accepted: distinct, pending: 0, sent: 10 });
    for (const addr of consent) expect(await mailsTo(addr)).toHaveLength(1);
  });
});

describe('fault: TransactionConflict on the campaign counters (injected)', () => {
  it('retries conflicting writes: every recipient added and finished once, counts exact', { timeout: 60_000 }, async () => {
    const id = 'camp-conflict';
    const { consent, inputs, distinct } = await audience('conflict', 140, 10);
    let injected = 0;
    // Each transaction is cancelled the first time it is sent and goes through when tried again:
    // every write meets a conflict, and how the calls in flight interleave cannot make one
    // transaction lose every try (a conflict on every other call could, by chance).
    const seen = new Set<string>();
    const fault = injectDynamoFault('conflict-on-each-first-try', (command, input) => {
      if (command !== 'TransactWriteItemsCommand') return undefined;
      const key = JSON.stringify(input.TransactItems);
      if (seen.has(key)) return undefined;
      seen.add(key);
      injected++;
      const items = (input.TransactItems as unknown[]) ?? [];
      return new TransactionCanceledException({
        message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]',
        $metadata: { httpStatusCode: 400 },
        CancellationReasons: items.map((_, i) =>
          i === items.length - 1 ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' } : { Code: 'None' },
        ),
      });
    });
    try {
      const res = await call('POST', `/v1/campaigns/${id}/recipients`, body(id, inputs));
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ accepted: distinct, duplicates: inputs.length - distinct });
      await queue.idle();
    } finally {
      fault.remove();
    }
    expect(injected).toBeGreaterThan(0);
    const final = await expectCountsMatchStore(id);
    expect(final.counts).toEqual({ accepted: distinct, pending: 0, sent: 10, skipped: distinct - 10, failed: 0 });
    for (const addr of consent) expect(await mailsTo(addr)).toHaveLength(1);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RunningDynamo, startDynamoDbLocal } from '../../bin/local/processes';
import { fixedClock } from '../../functions/core/clock';
import { confirmTopics } from '../../functions/core/consent';
import { type NormalizedEmail, normalizeEmail } from '../../functions/core/email';
import type { EmailId } from '../../functions/core/email-id';
import { createDeps, type Deps } from '../../functions/deps';
import { createApp } from '../../functions/http';
import { silentLogger } from '../../functions/log';
import { createDb, type Db } from '../../functions/store/client';
import { getSubscriber, listLedger, updateSubscriber } from '../../functions/store/subscribers';
import { ensureTable } from '../../functions/store/table';
import { PRODUCTION_TIMEOUTS, testConfig, uniqueEmail } from '../support/stack';

/**
 * Fault: DynamoDB Local stops answering without going away (SIGSTOP: the kernel still accepts
 * connections and takes the request bytes, nothing answers), then comes back (SIGCONT). A DynamoDB
 * Local of this file's own, so the suite's shared one is never frozen. The app is wired as in
 * production (`createDeps(config)`, the configured SDK timeouts), and every request must get
 * `503 unavailable` with Retry-After within 5 seconds, never hang, and write nothing.
 */
let dynamo: RunningDynamo;
let deps: Deps;
let app: ReturnType<typeof createApp>;
// Seeds and reads back with patience: a fresh JVM on busy cores takes seconds over its first calls.
let patient: Db;
let frozen = false;

/**
 * The state of every thread of DynamoDB Local's process group (Linux's /proc). SIGSTOP returns
 * before the JVM's threads have all stopped: a request sent at once could still be answered (CI
 * saw `/health` answer 200 once), so freezing waits until every thread is stopped.
 */
function groupThreadStates(pgid: number): string[] {
  const fieldsAfterName = (stat: string) => stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((pid) => {
      try {
        if (Number(fieldsAfterName(readFileSync(`/proc/${pid}/stat`, 'utf8'))[2]) !== pgid) return [];
        return readdirSync(`/proc/${pid}/task`).map((tid) => fieldsAfterName(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'))[0] ?? '?');
      } catch {
        return []; // gone meanwhile
      }
    });
}

const freeze = async () => {
  dynamo.signal('SIGSTOP');
  frozen = true;
  const pgid = dynamo.process.pid as number;
  for (let i = 0; ; i++) {
    const states = groupThreadStates(pgid);
    if (states.length > 0 && states.every((st) => st === 'T' || st === 't')) return;
    if (i >= 200) throw new Error(`DynamoDB Local did not stop: thread states ${[...new Set(states)].join(', ')}`);
    await sleep(10);
  }
};
const thaw = () => {
  if (frozen) dynamo.signal('SIGCONT');
  frozen = false;
};

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({ port: await freePort() });
  const config = testConfig({ DYNAMODB_ENDPOINT: dynamo.endpoint, ...PRODUCTION_TIMEOUTS });
  patient = createDb({
    tableName: config.tableName,
    region: config.region,
    endpoint: dynamo.endpoint,
    timeouts: { connectMs: 10_000, requestMs: 30_000, maxAttempts: 3 },
  });
  await ensureTable(patient.client, config.tableName);
  deps = createDeps(config, { logger: silentLogger, clock: fixedClock('2026-11-29T09:00:00.000Z') });
  app = createApp(deps);
  // Warm the production client's connections and the JVM's code paths before anything is timed.
  for (let i = 0; i < 60 && (await app.request('/health')).status !== 200; i++) await sleep(500);
}, 90_000);

afterAll(async () => {
  thaw();
  await dynamo?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The answer and how long it took; a request still unanswered after `limitMs` counts as hanging. */
async function timed(answer: Response | Promise<Response>, limitMs = 10_000): Promise<{ status: number | 'no answer'; ms: number; res?: Response }> {
  const started = performance.now();
  const res = await Promise.race([Promise.resolve(answer), sleep(limitMs).then(() => undefined)]);
  return { status: res ? res.status : 'no answer', ms: performance.now() - started, ...(res ? { res } : {}) };
}

function idOf(addr: string): EmailId {
  const n = normalizeEmail(addr);
  if (!n.ok) throw new Error(n.problem);
  return deps.emailIdOf(n.email as NormalizedEmail);
}

describe('fault: the store stops answering (DynamoDB Local frozen with SIGSTOP)', () => {
  it('answers 503 unavailable with Retry-After within 5 s for /health and a preference save, writes nothing, and works again after', async () => {
    const emailId = idOf(uniqueEmail('frozen'));
    const at = deps.clock.now();
    await updateSubscriber(patient, deps.clock, emailId, (s) => confirmTopics(s, 'livlog', ['newsletter', 'events'], { at, source: 'api' }));
    const token = deps.tokens.sign('unsubscribe', { b: 'livlog', e: emailId, t: 'newsletter' });
    const save = () =>
      app.request(`/v1/preferences/${token}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ all: 'unsubscribed' }),
      });
    const before = { subscriber: await getSubscriber(patient, emailId), ledger: (await listLedger(patient, emailId)).length };

    await freeze();
    let answers: Awaited<ReturnType<typeof timed>>[];
    try {
      answers = await Promise.all([timed(app.request('/health')), timed(save())]);
    } finally {
      thaw();
    }
    for (const a of answers) {
      expect(a.status).toBe(503);
      expect(a.ms).toBeLessThan(5000);
      expect(a.res?.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await a.res?.json()).toMatchObject({ error: { code: 'unavailable' } });
    }

    // Whatever reached the frozen process's socket is read when it resumes: none of it may be a write.
    await sleep(2000);
    expect(await getSubscriber(patient, emailId)).toEqual(before.subscriber);
    expect((await listLedger(patient, emailId)).length).toBe(before.ledger);

    let health = 0;
    for (let i = 0; i < 60 && health !== 200; i++) {
      health = (await app.request('/health')).status;
      if (health !== 200) await sleep(500);
    }
    expect(health).toBe(200);
    const again = await save();
    expect(again.status).toBe(200);
    expect((await getSubscriber(patient, emailId))?.brands.livlog?.topics.newsletter?.state).toBe('unsubscribed');
  }, 120_000);
});

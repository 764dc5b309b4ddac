import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RunningDynamo, startDynamoDbLocal } from '../../bin/local/processes';
import { confirmTopics, unsubscribeTopics } from '../../functions/core/consent';
import { type NormalizedEmail, normalizeEmail } from '../../functions/core/email';
import { verifyLedger } from '../../functions/core/ledger';
import { createDeps, type Deps } from '../../functions/deps';
import { createApp } from '../../functions/http';
import { silentLogger } from '../../functions/log';
import { createDb } from '../../functions/store/client';
import { getSubscriber, listLedger, updateSubscriber } from '../../functions/store/subscribers';
import { ensureTable } from '../../functions/store/table';
import { testConfig, uniqueEmail } from '../support/stack';

/**
 * Fault: DynamoDB Local is killed (SIGKILL) while changes are in flight, then restarted on the
 * same port and file. Every change either lands whole or fails whole (a 503 at the route), and
 * afterwards each record's ledger and state agree.
 */
let dynamo: RunningDynamo;
let port: number;
let dataDir: string;
let deps: Deps;

beforeAll(async () => {
  port = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), 'fault-ddb-'));
  dynamo = await startDynamoDbLocal({ port, dataDir });
  const config = testConfig();
  const db = createDb({
    tableName: config.tableName,
    region: config.region,
    endpoint: dynamo.endpoint,
    clientConfig: { maxAttempts: 1, requestHandler: { requestTimeout: 2000, connectionTimeout: 1000 } },
  });
  await ensureTable(db.client, config.tableName);
  deps = createDeps(config, { db, logger: silentLogger });
}, 60_000);
afterAll(async () => {
  await dynamo?.stop();
});

const idOf = (addr: string) => deps.emailIdOf((normalizeEmail(addr) as { email: NormalizedEmail }).email);

describe('fault: DynamoDB Local killed and restarted mid-request', () => {
  it('answers 503 while it is down and 200 after, never half-writing', async () => {
    const app = createApp(deps);
    const addresses = Array.from({ length: 12 }, () => uniqueEmail('fault'));
    const ids = addresses.map(idOf);
    const topics = ['newsletter', 'promotions', 'events', 'surveys'];
    const ctx = () => ({ at: deps.clock.now(), source: 'api' as const });

    // Writers toggle topics in a loop; the store dies under them.
    let stop = false;
    const outcomes = { ok: 0, failed: 0 };
    const writers = ids.map(async (id, n) => {
      for (let i = 0; !stop; i++) {
        const topic = topics[(n + i) % topics.length] as string;
        try {
          await updateSubscriber(deps.db, deps.clock, id, (s) =>
            i % 2 === 0 ? confirmTopics(s, 'livlog', [topic], ctx()) : unsubscribeTopics(s, 'livlog', [topic], ctx()),
          );
          outcomes.ok++;
        } catch {
          outcomes.failed++;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    });

    await new Promise((r) => setTimeout(r, 1500));
    dynamo.signal('SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const down = await app.request('/health');
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ error: { code: 'unavailable' } });

    dynamo = await startDynamoDbLocal({ port, dataDir });
    await new Promise((r) => setTimeout(r, 1500));
    stop = true;
    await Promise.all(writers);
    expect((await app.request('/health')).status).toBe(200);
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.failed).toBeGreaterThan(0);

    // Every record: the ledger verifies against the head, and replaying the ledger gives the state.
    for (const id of ids) {
      // The ledger first: reading it chains what one-click fast paths left unsealed, which moves the head.
      const ledger = await listLedger(deps.db, id);
      const s = await getSubscriber(deps.db, id);
      if (!s) continue;
      expect(verifyLedger(ledger, s.ledger)).toEqual({ ok: true });
      const replayed: Record<string, string> = {};
      for (const e of ledger) if ('changes' in e) for (const c of e.changes) if (c.topic) replayed[c.topic] = c.to;
      const state = Object.fromEntries(Object.entries(s.brands.livlog?.topics ?? {}).map(([t, v]) => [t, v.state]));
      expect(state).toEqual(replayed);
    }
  }, 120_000);
});

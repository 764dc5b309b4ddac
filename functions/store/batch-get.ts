import { type AttributeValue, BatchGetItemCommand } from '@aws-sdk/client-dynamodb';
import { forEachConcurrently } from '../core/concurrency';
import { UnavailableError } from '../core/errors';
import { backoffDelay } from '../core/token-bucket';
import type { Db } from './client';

/** What one batch read cost: BatchGetItem calls made (first tries plus retries of unprocessed keys). */
export interface BatchReadStats {
  calls: number;
  retries: number;
}

export interface BatchReadOptions {
  /** Calls in flight at once. @default 8 */
  concurrency?: number;
  /** Give up (UnavailableError, nothing decided) when keys are still unprocessed after this long. @default 8000 */
  deadlineMs?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Counts the calls, for the bench and the tests. */
  stats?: BatchReadStats;
}

const KEYS_PER_CALL = 100;
const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The one BatchGetItem of the store: consistent reads of many items, 100 keys a call, several
 * calls in flight. Keys DynamoDB leaves unprocessed are asked again with jittered backoff until
 * done or the deadline; then the whole read fails with `UnavailableError` (a 503), so that no
 * caller goes on with a silent gap. Items come back raw, for the caller to decode as it needs.
 */
export async function batchGet(db: Db, keys: readonly { pk: string; sk: string }[], opts: BatchReadOptions = {}): Promise<Record<string, AttributeValue>[]> {
  const { concurrency = 8, deadlineMs = 8000, random = Math.random, sleep = defaultSleep, stats } = opts;
  const deadline = Date.now() + deadlineMs;
  const chunks: { pk: string; sk: string }[][] = [];
  for (let i = 0; i < keys.length; i += KEYS_PER_CALL) chunks.push(keys.slice(i, i + KEYS_PER_CALL));
  const items: Record<string, AttributeValue>[] = [];

  await forEachConcurrently(chunks, concurrency, async (chunk) => {
    let pending: Record<string, AttributeValue>[] = chunk.map((k) => ({ pk: { S: k.pk }, sk: { S: k.sk } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) {
        if (Date.now() >= deadline) throw new UnavailableError('The store is throttling reads; nothing was changed. Please try again.', 2);
        if (stats) stats.retries++;
        await sleep(Math.min(backoffDelay(attempt, random(), { baseMs: 25, capMs: 1000 }), Math.max(0, deadline - Date.now())));
      }
      if (stats) stats.calls++;
      const out = await db.client.send(new BatchGetItemCommand({ RequestItems: { [db.tableName]: { Keys: pending, ConsistentRead: true } } }));
      items.push(...(out.Responses?.[db.tableName] ?? []));
      pending = (out.UnprocessedKeys?.[db.tableName]?.Keys ?? []) as Record<string, AttributeValue>[];
    }
  });
  return items;
}

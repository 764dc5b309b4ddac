import { type AttributeValue, BatchGetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { EmailId } from '../core/email-id';
import { UnavailableError } from '../core/errors';
import type { Subscriber } from '../core/subscriber';
import { backoffDelay } from '../core/token-bucket';
import type { Db } from './client';
import { keys } from './keys';

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
}

const KEYS_PER_CALL = 100;
// Only what the send filter decides on: a smaller item read costs fewer read units.
const PROJECTION = '#pk, #status, #brands, #suppressions';
const NAMES = { '#pk': 'pk', '#status': 'status', '#brands': 'brands', '#suppressions': 'suppressions' };

/**
 * Access pattern 1: the profiles of many addresses, one read each, 100 keys a call, several calls
 * in flight. Unprocessed keys are asked again with jittered backoff until done or the deadline;
 * then the whole read fails, so that no recipient is decided on a missing record.
 */
export async function readSubscribersForFilter(
  db: Db,
  emailIds: readonly EmailId[],
  opts: BatchReadOptions = {},
): Promise<{ subscribers: Map<EmailId, Subscriber>; stats: BatchReadStats }> {
  const { concurrency = 8, deadlineMs = 8000, random = Math.random, sleep = defaultSleep } = opts;
  const deadline = Date.now() + deadlineMs;
  const subscribers = new Map<EmailId, Subscriber>();
  const stats: BatchReadStats = { calls: 0, retries: 0 };
  const chunks: EmailId[][] = [];
  for (let i = 0; i < emailIds.length; i += KEYS_PER_CALL) chunks.push(emailIds.slice(i, i + KEYS_PER_CALL));

  const readChunk = async (chunk: EmailId[]) => {
    let pending: Record<string, AttributeValue>[] = chunk.map((id) => {
      const k = keys.subscriber(id);
      return { pk: { S: k.pk }, sk: { S: k.sk } };
    });
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) {
        if (Date.now() >= deadline) throw new UnavailableError('The subscriber store is throttling reads; nothing was decided. Please try again.', 2);
        stats.retries++;
        await sleep(Math.min(backoffDelay(attempt, random(), { baseMs: 25, capMs: 1000 }), Math.max(0, deadline - Date.now())));
      }
      stats.calls++;
      const out = await db.client.send(
        new BatchGetItemCommand({
          RequestItems: { [db.tableName]: { Keys: pending, ProjectionExpression: PROJECTION, ExpressionAttributeNames: NAMES, ConsistentRead: true } },
        }),
      );
      for (const item of out.Responses?.[db.tableName] ?? []) {
        const { pk, ...rest } = unmarshall(item) as { pk: string } & Omit<Subscriber, 'emailId'>;
        const emailId = pk.slice('SUB#'.length) as EmailId;
        subscribers.set(emailId, { ...rest, emailId, brands: rest.brands ?? {}, suppressions: rest.suppressions ?? {} } as Subscriber);
      }
      pending = (out.UnprocessedKeys?.[db.tableName]?.Keys ?? []) as Record<string, AttributeValue>[];
    }
  };

  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++] as EmailId[];
      await readChunk(chunk);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
  return { subscribers, stats };
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

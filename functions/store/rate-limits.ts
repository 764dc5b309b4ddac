import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RateLimitedError } from '../core/errors';
import type { Db } from './client';
import { keys } from './keys';

/**
 * Fixed-window counters in the table (`RATE#{scope}#{key}` / `{window start}`), incremented with
 * ADD so that concurrent requests count exactly, and expired by TTL at the end of the window.
 * Keys are ids or keyed hashes, never an address or IP in clear.
 */
export interface RateLimit {
  scope: string;
  key: string;
  limit: number;
  windowSeconds: number;
}

/** Counts one hit; `within` is false from the hit after the limit on, until the window ends. */
export async function countHit(db: Db, now: Date, l: RateLimit): Promise<{ within: boolean; retryAfterSeconds: number }> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const windowStart = nowSeconds - (nowSeconds % l.windowSeconds);
  const windowEnd = windowStart + l.windowSeconds;
  const out = await db.doc.send(
    new UpdateCommand({
      TableName: db.tableName,
      Key: keys.rateCounter(l.scope, l.key, windowStart),
      UpdateExpression: 'ADD #c :one SET expiresAt = if_not_exists(expiresAt, :end)',
      ExpressionAttributeNames: { '#c': 'count' },
      ExpressionAttributeValues: { ':one': 1, ':end': windowEnd },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return { within: Number(out.Attributes?.count ?? 0) <= l.limit, retryAfterSeconds: Math.max(1, windowEnd - nowSeconds) };
}

/** Counts one request against each limit; throws RateLimitedError (429 + Retry-After) past any. */
export async function hitRateLimits(db: Db, now: Date, limits: RateLimit[]): Promise<void> {
  for (const l of limits) {
    const { within, retryAfterSeconds } = await countHit(db, now, l);
    if (!within) throw new RateLimitedError(retryAfterSeconds);
  }
}

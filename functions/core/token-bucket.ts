/**
 * A token bucket for the campaign send rate, as pure arithmetic: the caller owns the clock and
 * the waiting. `rate` tokens a second refill a bucket of `burst` tokens.
 */
export interface TokenBucketState {
  tokens: number;
  atMs: number;
}

export interface TokenBucketLimits {
  rate: number;
  burst: number;
}

export const fullBucket = (limits: TokenBucketLimits, nowMs: number): TokenBucketState => ({ tokens: limits.burst, atMs: nowMs });

/** Takes one token when there is one (`waitMs` 0); otherwise says how long until there is. */
export function takeToken(state: TokenBucketState, nowMs: number, limits: TokenBucketLimits): { next: TokenBucketState; waitMs: number } {
  const elapsed = Math.max(0, nowMs - state.atMs);
  const tokens = Math.min(limits.burst, state.tokens + (elapsed * limits.rate) / 1000);
  if (tokens >= 1) return { next: { tokens: tokens - 1, atMs: nowMs }, waitMs: 0 };
  return { next: { tokens, atMs: nowMs }, waitMs: Math.ceil(((1 - tokens) * 1000) / limits.rate) };
}

/** Full-jitter exponential backoff: a delay in [0, min(cap, base·2^attempt)), `random` in [0, 1). */
export function backoffDelay(attempt: number, random: number, { baseMs = 50, capMs = 2000 }: { baseMs?: number; capMs?: number } = {}): number {
  return Math.floor(random * Math.min(capMs, baseMs * 2 ** attempt));
}

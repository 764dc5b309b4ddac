import { fullBucket, type TokenBucketState, takeToken } from '../core/token-bucket';

/** Waits until a send is allowed by the configured rate; one per worker process. */
export interface RateLimiter {
  take(n: number): Promise<void>;
}

/**
 * The token bucket of `core/token-bucket.ts` with a timer. The time source is monotonic and
 * injectable (tests and the bench run with a fixed business clock, which must not stop sending).
 */
export function createRateLimiter(
  rate: number,
  {
    now = () => performance.now(),
    sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
  }: { now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
): RateLimiter {
  const limits = { rate, burst: Math.max(1, rate) };
  let state: TokenBucketState = fullBucket(limits, now());
  let queue = Promise.resolve();
  const takeOne = async () => {
    for (;;) {
      const { next, waitMs } = takeToken(state, now(), limits);
      state = next;
      if (waitMs === 0) return;
      await sleep(waitMs);
    }
  };
  return {
    // Callers queue behind each other, so concurrent batches share the one rate.
    take(n) {
      const run = queue.then(async () => {
        for (let i = 0; i < n; i++) await takeOne();
      });
      queue = run.catch(() => {});
      return run;
    },
  };
}

export const unlimited: RateLimiter = { take: async () => {} };

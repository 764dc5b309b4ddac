/** Time and randomness come in from outside so that the core stays deterministic under test. */
export interface Clock {
  now(): Date;
}

export interface RandomSource {
  /** A random, URL-safe identifier with at least 128 bits of entropy. */
  id(): string;
}

export const fixedClock = (iso: string): Clock & { set(iso: string): void; advance(ms: number): void } => {
  let t = new Date(iso).getTime();
  return {
    now: () => new Date(t),
    set: (next) => {
      t = new Date(next).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
};

/** Seconds since the epoch, the unit DynamoDB TTL expects. */
export const epochSeconds = (d: Date): number => Math.floor(d.getTime() / 1000);

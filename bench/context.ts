import type { Deps } from '../functions/deps';

/**
 * What every figure of `npm run bench` gets, and what it gives back. A figure measures something
 * and a baseline in the same run, so that the ratio, not the machine, is the result.
 */
export interface BenchContext {
  deps: Deps;
  /** The seeded addresses (10,000), most of them eligible for livlog/newsletter marketing. */
  addresses: string[];
  /** Addresses seeded as eligible, for sending figures. */
  eligible: string[];
  progress(line: string): void;
}

export interface BenchRow {
  figure: string;
  value: number;
  unit: string;
  /** What the value is compared with, measured in the same run (or computed, e.g. ⌈N/50⌉). */
  baseline: { name: string; value: number };
  /** value / baseline.value */
  ratio: number;
  goal: string;
  met: boolean;
}

export interface Figure {
  name: string;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}

export const row = (r: Omit<BenchRow, 'ratio' | 'met'>, met: (ratio: number) => boolean): BenchRow => {
  const ratio = r.baseline.value === 0 ? Number.NaN : r.value / r.baseline.value;
  return { ...r, ratio, met: met(ratio) };
};

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

export const median = (xs: number[]): number => percentile(xs, 50);

/** Nearest-rank percentile. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}

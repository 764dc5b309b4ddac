import { Readable } from 'node:stream';
import { filterRecipients } from '../../functions/use-cases/filter-recipients';
import { importSuppressions } from '../../functions/use-cases/import-suppressions';
import { type BenchContext, type Figure, row } from '../context';

const MB = 1024 * 1024;
const BUDGET_MB = 64;
const SMALL = 2500;
const LARGE = 10_000;

/**
 * Memory: the heap and RSS growth (peak during the work, over the level before it, after a full
 * GC) of filtering 10,000 recipients and of importing a suppression CSV. The import streams, so
 * its growth must stay under 64 MB and must not grow with the file: the figure compares a file
 * four times larger with a smaller one, both fully applied (every line written). The 100,000-line
 * limit of one call is exercised by test/integration/admin-suppressions.test.ts.
 */
async function growth<T>(work: () => Promise<T>): Promise<{ heapMb: number; rssMb: number; value: T }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  const sample = () => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  };
  const timer = setInterval(sample, 5);
  try {
    const value = await work();
    sample();
    return { heapMb: (peakHeap - before.heapUsed) / MB, rssMb: (peakRss - before.rss) / MB, value };
  } finally {
    clearInterval(timer);
  }
}

function csv(lines: number, tag: string): Readable {
  return Readable.from(
    (function* () {
      yield new TextEncoder().encode('email,reason,brand,createdAt\r\n');
      for (let i = 0; i < lines; i += 500) {
        let chunk = '';
        for (let j = i; j < Math.min(lines, i + 500); j++) chunk += `mem.${tag}.${j}@example.com,manual,,2026-11-01T00:00:00Z\r\n`;
        yield new TextEncoder().encode(chunk);
      }
    })(),
  );
}

export const memoryFigure: Figure = {
  name: 'memory',
  async run(ctx: BenchContext) {
    const { deps } = ctx;
    if (!(globalThis as { gc?: unknown }).gc) ctx.progress('memory: run with node --expose-gc for exact figures');
    ctx.progress(`memory: filtering ${ctx.addresses.length}`);
    const filter = await growth(() => filterRecipients(deps, { brand: 'livlog', topic: 'newsletter', category: 'marketing', recipients: ctx.addresses }));

    const importOf = async (lines: number, tag: string) => {
      ctx.progress(`memory: importing a ${lines}-line CSV (every line applied)`);
      const r = await growth(() => importSuppressions(deps, { body: csv(lines, tag), actor: 'bench', maxBytes: 64 * MB }));
      if (r.value.applied !== lines) throw new Error(`import applied ${r.value.applied} of ${lines}`);
      return r;
    };
    const small = await importOf(SMALL, 's');
    const large = await importOf(LARGE, 'l');
    return [
      row(
        {
          figure: `memory: filter ${ctx.addresses.length}, RSS growth`,
          value: filter.rssMb,
          unit: 'MB',
          baseline: { name: 'budget', value: BUDGET_MB },
          goal: '≤ 1',
        },
        (r) => r <= 1,
      ),
      row(
        {
          figure: `memory: filter ${ctx.addresses.length}, heap growth`,
          value: filter.heapMb,
          unit: 'MB',
          baseline: { name: 'budget', value: BUDGET_MB },
          goal: '≤ 1',
        },
        (r) => r <= 1,
      ),
      row(
        { figure: `memory: import ${LARGE} lines, RSS growth`, value: large.rssMb, unit: 'MB', baseline: { name: 'budget', value: BUDGET_MB }, goal: '≤ 1' },
        (r) => r <= 1,
      ),
      row(
        {
          figure: `memory: import ${LARGE} lines, heap growth`,
          value: large.heapMb,
          unit: 'MB',
          baseline: { name: `import ${SMALL} lines, heap growth`, value: small.heapMb },
          goal: '≤ 2 (4× the lines)',
        },
        (r) => r <= 2,
      ),
    ];
  },
};

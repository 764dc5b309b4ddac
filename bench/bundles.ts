import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Metafile } from 'esbuild';
import { bundleHandler, PROJECT_ROOT } from '../lib/bundling';
import { FUNCTION_ENTRIES, type FunctionName } from '../lib/function-entries';

/** One function's bundle, built exactly as `AppFunction` builds it for deployment. */
export interface BundleRow {
  function: FunctionName;
  entry: string;
  /** Bytes of all its code files, `index.mjs` and its chunks (minified, source maps excluded): what is deployed. */
  minifiedBytes: number;
  /** Of those, the bytes a cold start reads before its first request: `index.mjs` and the chunks it imports statically. */
  startBytes: number;
  /** The source files (and packages' files) in those start chunks. */
  startInputs: string[];
  /** The packages left to the runtime (the AWS SDK) or Node that those start chunks import. */
  startExternals: string[];
  gzipBytes: number;
  /** Budget in minified bytes, when the function has one. */
  budgetBytes?: number;
  /** `true` when there is no budget. */
  withinBudget: boolean;
  /** The largest contributors (a package, or `app` for our own code), to spot code a function does not use. */
  largest: { source: string; bytes: number }[];
}

/** Sums a bundle's bytes by npm package (our own files count as `app`). */
export function bytesBySource(metafile: Metafile): { source: string; bytes: number }[] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? 'app';
      totals.set(pkg, (totals.get(pkg) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].map(([source, bytes]) => ({ source, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** What loading one output file reads: it and every chunk it reaches by static imports, their bytes, the inputs in them and the externals they import. */
export interface Reach {
  bytes: number;
  inputs: string[];
  externals: string[];
}

export function reachOf(metafile: Metafile, output: string): Reach {
  const outputs = metafile.outputs;
  const seen = new Set<string>();
  const externals = new Set<string>();
  const visit = (f: string) => {
    if (seen.has(f) || !outputs[f]) return;
    seen.add(f);
    for (const i of outputs[f].imports) {
      if (i.kind !== 'import-statement') continue;
      if (i.external) externals.add(i.path);
      else visit(i.path);
    }
  };
  visit(output);
  return {
    bytes: [...seen].reduce((sum, f) => sum + (outputs[f]?.bytes ?? 0), 0),
    inputs: [...seen].flatMap((f) => Object.keys(outputs[f]?.inputs ?? {})),
    externals: [...externals].sort(),
  };
}

/** The output (a route group's chunk, say) that holds a source file. */
export function outputHolding(metafile: Metafile, source: string): string | undefined {
  return Object.keys(metafile.outputs).find((f) => Object.hasOwn(metafile.outputs[f]?.inputs ?? {}, source));
}

/** The entry and every chunk it reaches by static imports. */
function startOf(metafile: Metafile, outfile: string): { startBytes: number; startInputs: string[]; startExternals: string[] } {
  const entry = Object.keys(metafile.outputs).find((f) => resolve(PROJECT_ROOT, f) === outfile);
  const reach = entry ? reachOf(metafile, entry) : { bytes: 0, inputs: [], externals: [] };
  return { startBytes: reach.bytes, startInputs: reach.inputs, startExternals: reach.externals };
}

/**
 * Bundles every handler with the deployment's esbuild options (`lib/bundling.ts`) and reports
 * minified and gzip sizes against the budgets of `lib/function-entries.ts`.
 */
export async function measureBundles(names: FunctionName[] = Object.keys(FUNCTION_ENTRIES) as FunctionName[]): Promise<BundleRow[]> {
  const root = mkdtempSync(join(tmpdir(), 'bundles-'));
  try {
    const rows: BundleRow[] = [];
    for (const name of names) {
      const spec: { entry: string; budgetBytes?: number } = FUNCTION_ENTRIES[name];
      const { outfile, files, metafile } = await bundleHandler(spec.entry, join(root, name));
      const code = Buffer.concat(files.map((f) => readFileSync(f)));
      rows.push({
        function: name,
        entry: spec.entry,
        minifiedBytes: code.length,
        ...startOf(metafile, outfile),
        gzipBytes: gzipSync(code).length,
        ...(spec.budgetBytes !== undefined ? { budgetBytes: spec.budgetBytes } : {}),
        withinBudget: spec.budgetBytes === undefined || code.length <= spec.budgetBytes,
        largest: bytesBySource(metafile).slice(0, 5),
      });
    }
    return rows;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

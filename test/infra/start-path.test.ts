import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { measureBundles, outputHolding, reachOf } from '../../bench/bundles';
import { bundleHandler, EXTERNAL_PACKAGES, PROJECT_ROOT } from '../../lib/bundling';
import { FUNCTION_ENTRIES } from '../../lib/function-entries';

/**
 * What every function runs before its first request (the environment and the brands file, read
 * and checked) must not load a schema library: zod alone costs a large part of a bare cold start.
 * The route schemas keep zod; they are built on the first request under their paths.
 */
async function inputsOf(...modules: string[]): Promise<string[]> {
  const result = await build({
    stdin: { contents: modules.map((m) => `export * from './${m}';`).join('\n'), resolveDir: PROJECT_ROOT, loader: 'ts' },
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    external: [...EXTERNAL_PACKAGES],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
}

const SCHEMA_LIBRARY = /node_modules\/(zod|@hono\/zod-openapi|@hono\/zod-validator)\//;

describe('the start path', () => {
  it('reads the environment and the brands file without zod', async () => {
    const inputs = await inputsOf('functions/config', 'functions/core/brands');
    expect(inputs.filter((i) => SCHEMA_LIBRARY.test(i))).toEqual([]);
    expect(inputs).toEqual(expect.arrayContaining(['functions/config.ts', 'functions/core/brands.ts', 'functions/brands.json']));
  });

  it('of every function, as deployed, reads neither a schema library nor the texts before its first request', async () => {
    // But the SES events function: every event it gets is checked against the zod schemas of
    // core/ses-events.ts, which the local stack's feedback route documents too, so it needs them
    // at once (its cold start is about the bare baseline's: bench/README.md).
    const rows = (await measureBundles()).filter((r) => r.function !== 'sesEvents');
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      expect(row.startInputs.length, row.function).toBeGreaterThan(0);
      expect(
        row.startInputs.filter((i) => SCHEMA_LIBRARY.test(i)),
        row.function,
      ).toEqual([]);
    }
    // The document client's package loads on the first call through it (store/client.ts): a
    // health check, the whole first request of many starts, goes through the plain client.
    for (const name of ['apiPublic', 'apiPrivileged', 'console'] as const) {
      const externals = rows.find((r) => r.function === name)?.startExternals ?? [];
      expect(externals, name).toContain('@aws-sdk/client-dynamodb');
      expect(externals, name).not.toContain('@aws-sdk/lib-dynamodb');
    }
    // Nor the catalogue of texts and the pages: a start answers a health check or loads the group
    // of its first request, and the 404 page and /docs load theirs when asked for.
    for (const name of ['apiPublic', 'apiPrivileged', 'console'] as const) {
      const inputs = rows.find((r) => r.function === name)?.startInputs;
      expect(inputs, name).toBeDefined();
      expect(
        (inputs ?? []).filter((i) => i.startsWith('functions/core/texts/') || i.startsWith('functions/http/pages/html-errors')),
        name,
      ).toEqual([]);
    }
    // The route groups still validate with zod, in chunks of their own.
    const api = rows.find((r) => r.function === 'apiPublic');
    expect(api && api.startBytes < api.minifiedBytes / 2).toBe(true);
  }, 120_000);

  it('of a one-click, the first request of most starts of the public function, reads neither zod nor the document client', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'one-click-reach-'));
    try {
      const { metafile } = await bundleHandler(FUNCTION_ENTRIES.apiPublic.entry, dir);
      const group = outputHolding(metafile, 'functions/http/routes/one-click.tsx');
      expect(group).toBeDefined();
      const reach = reachOf(metafile, group as string);
      expect(reach.inputs).toContain('functions/store/one-click.ts');
      expect(reach.inputs.filter((i) => SCHEMA_LIBRARY.test(i))).toEqual([]);
      // Its one write goes through the plain client; the rarer read-decide-write path loads the
      // document client when it runs (use-cases/unsubscribe-one-click.ts).
      expect(reach.externals).toContain('@aws-sdk/client-dynamodb');
      expect(reach.externals).not.toContain('@aws-sdk/lib-dynamodb');
      expect(reach.externals).not.toContain('@aws-sdk/util-dynamodb');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('would see zod if a module on it imported zod', async () => {
    const inputs = await inputsOf('functions/http/schemas');
    expect(inputs.some((i) => SCHEMA_LIBRARY.test(i))).toBe(true);
  });
});

import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { EXTERNAL_PACKAGES, PROJECT_ROOT } from '../../lib/bundling';

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

  it('would see zod if a module on it imported zod', async () => {
    const inputs = await inputsOf('functions/http/schemas');
    expect(inputs.some((i) => SCHEMA_LIBRARY.test(i))).toBe(true);
  });
});

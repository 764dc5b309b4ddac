import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions, Metafile, Plugin } from 'esbuild';

/** Root of the project: entries and node_modules are resolved from here. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Packages left out of every bundle. The AWS SDK v3 ships in the Lambda `nodejs22.x` runtime;
 * bundling our own copy would add about 420 KB to the public API (over its 450 KB budget) and
 * slow cold starts, for the sake of pinning a version we do not need pinned: the clients we use
 * (DynamoDB, SES v2, SQS, Secrets Manager) are stable APIs, and the runtime's SDK gets security
 * fixes without a redeploy.
 */
export const EXTERNAL_PACKAGES = ['@aws-sdk/*'];

/**
 * zod 4's `z` namespace re-exports every message locale (about 300 KB minified). `@hono/zod-openapi`
 * passes `z` to `extendZodWithOpenApi(z)`, which keeps the whole namespace alive, so tree shaking
 * cannot drop them. We use only the default English messages (the routes never call
 * `z.locales.*`), so the locales index is replaced by one that exports `en` alone.
 */
export const leanZodLocales: Plugin = {
  name: 'lean-zod-locales',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";\n',
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

/**
 * The esbuild options of every Lambda bundle. `AppFunction` (the CDK construct) and
 * `bench/bundles.ts` both build through `bundleHandler`, so what is measured is what is deployed.
 */
export const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: true,
  // The map is for reading a stack trace offline (the functions run without
  // --enable-source-maps, lib/constructs/app-function.ts); sources stay in git.
  sourcesContent: false,
  mainFields: ['module', 'main'],
  external: EXTERNAL_PACKAGES,
  legalComments: 'none',
  // Code reached only through `import()` (the route groups a function loads on demand,
  // http/lazy-groups.ts) goes into chunk files of its own, which Node reads and compiles only
  // when the import runs: a cold start parses what its first request needs, not the whole
  // function (bench/README.md, "Cold start").
  splitting: true,
  entryNames: 'index',
  chunkNames: 'chunk-[hash]',
  outExtension: { '.js': '.mjs' },
  // Some dependencies are CommonJS and call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
} as const satisfies BuildOptions;

export interface BundleResult {
  /** The bundle's entry file (`index.mjs`, the Lambda handler is `index.handler`). */
  outfile: string;
  /** Every code file of the bundle: the entry and its chunks (`chunk-<hash>.mjs`), not the maps. */
  files: string[];
  metafile: Metafile;
}

/**
 * Bundles one handler file (path relative to the project root) into `outdir/index.mjs` and its
 * chunks. `splitting: false` is for the bench's comparison only (one file, as before).
 */
export async function bundleHandler(entry: string, outdir: string, opts: { splitting?: boolean } = {}): Promise<BundleResult> {
  const { build } = await import('esbuild');
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    ...BUNDLE_OPTIONS,
    external: [...BUNDLE_OPTIONS.external],
    mainFields: [...BUNDLE_OPTIONS.mainFields],
    outExtension: { ...BUNDLE_OPTIONS.outExtension },
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [resolve(PROJECT_ROOT, entry)],
    outdir,
    metafile: true,
    plugins: [leanZodLocales],
    ...(opts.splitting === false ? { splitting: false } : {}),
  });
  const files = Object.keys(result.metafile.outputs)
    .filter((f) => f.endsWith('.mjs'))
    .map((f) => resolve(PROJECT_ROOT, f));
  return { outfile: join(outdir, 'index.mjs'), files, metafile: result.metafile };
}

/**
 * The same build, synchronously, for CDK's local bundling (which cannot await): runs this module
 * as a child process. Throws with esbuild's output when the build fails.
 */
export function bundleHandlerSync(entry: string, outdir: string): void {
  const run = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), entry, outdir], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (run.status !== 0) throw new Error(`bundling ${entry} failed:\n${run.stderr || run.stdout || run.error?.message}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [entry, outdir] = process.argv.slice(2);
  if (!entry || !outdir) throw new Error('usage: bundling.ts <entry> <outdir>');
  await bundleHandler(entry, outdir);
}

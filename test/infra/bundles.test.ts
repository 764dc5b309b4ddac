import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BundleRow, measureBundles } from '../../bench/bundles';
import { consolePages } from '../../functions/core/texts/en/console';
import { bundleHandler, PROJECT_ROOT } from '../../lib/bundling';
import { FUNCTION_ENTRIES } from '../../lib/function-entries';

// Inside the project, so that the bundle's `@aws-sdk/*` imports (external, as in Lambda) resolve.
const dir = join(PROJECT_ROOT, 'tmp', `bundle-test-${randomBytes(4).toString('hex')}`);
let publicCode: string;
let publicFile: string;
let row: BundleRow;

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  const bundle = await bundleHandler(FUNCTION_ENTRIES.apiPublic.entry, join(dir, 'public'));
  publicFile = bundle.outfile;
  // The entry and every chunk: what is deployed.
  publicCode = bundle.files.map((f) => readFileSync(f, 'utf8')).join('');
  [row] = (await measureBundles(['apiPublic'])) as [BundleRow];
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Loads the bundle in a fresh Node process with the given environment and sends it one API Gateway v2 event. */
function invoke(
  env: Record<string, string>,
  path: string,
  form?: string,
  as: { method: string; type: string } = { method: 'POST', type: 'application/x-www-form-urlencoded' },
): { status?: number; contentType?: string; body?: string; error?: string } {
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'abc123.execute-api.ap-northeast-1.amazonaws.com', ...(form ? { 'content-type': as.type } : {}) },
    requestContext: {
      http: { method: form ? as.method : 'GET', path, protocol: 'HTTP/1.1', sourceIp: '198.51.100.7', userAgent: 'vitest' },
      requestId: 'r-1',
      stage: '$default',
    },
    ...(form ? { body: form } : {}),
    isBase64Encoded: false,
  };
  const script = `
    try {
      const { handler } = await import(${JSON.stringify(pathToFileURL(publicFile).href)});
      const res = await handler(${JSON.stringify(event)}, {});
      console.log(JSON.stringify({ status: res.statusCode, contentType: res.headers['content-type'], body: res.body }));
    } catch (err) {
      console.log(JSON.stringify({ error: String(err.message) }));
    }`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}');
}

const ENV = {
  TABLE_NAME: 'privacy',
  AWS_REGION: 'ap-northeast-1',
  PUBLIC_BASE_URL: 'https://privacy.livlog.jp',
  TOKEN_KEYS: JSON.stringify({ k1: Buffer.alloc(32, 1).toString('base64') }),
  TOKEN_SIGNING_KEY_ID: 'k1',
  EMAIL_PEPPER: Buffer.alloc(32, 2).toString('base64'),
  LOG_LEVEL: 'error',
};

describe('public API bundle', () => {
  it('stays within its 450 KB minified budget', () => {
    expect(row.budgetBytes).toBe(450_000);
    expect(row.minifiedBytes).toBe(Buffer.byteLength(publicCode));
    expect(row.minifiedBytes).toBeLessThanOrEqual(450_000);
    expect(row.withinBudget).toBe(true);
    expect(row.gzipBytes).toBeLessThan(row.minifiedBytes);
    // The route groups are chunks of their own, which a cold start does not read.
    expect(row.startBytes).toBeGreaterThan(0);
    expect(row.startBytes).toBeLessThan(row.minifiedBytes);
  });

  it('carries no privileged or local-only route', () => {
    for (const path of ['/v1/sends', '/v1/campaigns', '/admin/', '/local/']) expect(publicCode, path).not.toContain(path);
  });

  it("carries none of the console's texts", () => {
    const texts = Object.values(consolePages)
      .flatMap((area) => (typeof area === 'object' ? Object.values(area) : [area]))
      .filter((t): t is string => typeof t === 'string' && t.length > 24);
    expect(texts.length).toBeGreaterThan(5);
    for (const text of texts) expect(publicCode, text).not.toContain(text);
  });

  it('leaves the AWS SDK to the Lambda runtime', () => {
    expect(publicCode).toMatch(/from"@aws-sdk\/client-dynamodb"/);
    expect(row.largest.map((l) => l.source)).not.toContain('@smithy/core');
  });

  it('runs as built: serves the OpenAPI document through the Lambda adapter', () => {
    const res = invoke(ENV, '/openapi.json');
    expect(res.error).toBeUndefined();
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/application\/json/);
    expect(JSON.parse(res.body ?? '{}').openapi).toBe('3.1.0');
  });

  it('loads each route group from its chunks: a one-click and the preference center judge the token', () => {
    // A group whose chunk ran before what it needs (esbuild splitting) would answer 500.
    for (const [path, form] of [
      ['/u/not-a-token', 'List-Unsubscribe=One-Click'],
      ['/u/not-a-token', undefined],
      ['/confirm/not-a-token', undefined],
      ['/inquiries/status/not-a-token', undefined],
    ] as const) {
      const res = invoke(ENV, path, form);
      expect(res.error, path).toBeUndefined();
      expect(res.status, `${form ? 'POST' : 'GET'} ${path}`).toBe(400);
    }
  });

  it('still explains a bad variable, and a bad field in English with zod locales trimmed', () => {
    const res = invoke({ ...ENV, PUBLIC_BASE_URL: 'not a url' }, '/health');
    expect(res.error).toMatch(/PUBLIC_BASE_URL: Invalid URL/);
    // The route schemas still use zod, in their group's chunk.
    const field = invoke(ENV, '/v1/preferences/not-a-token', JSON.stringify({ topics: 5 }), { method: 'PUT', type: 'application/json' });
    expect(field.error).toBeUndefined();
    expect(field.status).toBe(400);
    expect(JSON.parse(field.body ?? '{}').error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ message: expect.stringMatching(/^Invalid input: expected record/) })]),
    );
  });
});

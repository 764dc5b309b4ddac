import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../functions/core/email';
import { TOKEN_TTL } from '../../functions/core/tokens';
import { createDeps, type Deps } from '../../functions/deps';
import { createApp } from '../../functions/http';
import { silentLogger } from '../../functions/log';
import { createDb } from '../../functions/store/client';
import { type Document, type Op, operationsOf, servedDocument, undeclared } from '../support/openapi';
import { createTestStack, TEST_ADMIN_TOKEN, type TestStack, testConfig, uniqueEmail } from '../support/stack';

/**
 * A validation proxy of our own: the document against the server. Every route the app serves is
 * documented and every documented operation is served; and whatever a client sends, the answer's
 * status, media type and required headers are ones the document declares for that operation.
 * Run against a store that answers and against one that does not (where the 503s are).
 */
let stack: TestStack;
let doc: Document;
let ops: Op[];

beforeAll(async () => {
  stack = await createTestStack();
  doc = await servedDocument(stack.app);
  ops = operationsOf(doc);
});
afterAll(() => stack.dispose());

const pathOf = (op: Op, value: (name: string) => string) => op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(value(name)));

/** Links of each purpose, good, expired, and of another purpose, as a client may hold them. */
function tokens(deps: Deps) {
  const address = normalizeEmail('taro@example.com');
  if (!address.ok) throw new Error('the test address is valid');
  const e = deps.emailIdOf(address.email);
  const r = 'INQ-ABCDEFGHJK';
  const claims = {
    unsubscribe: { b: 'livlog', e, t: 'newsletter' },
    confirm: { b: 'livlog', e, t: ['newsletter'] },
    verify: { r },
    status: { r },
    export: { r },
  };
  return Object.entries(claims).flatMap(([purpose, c]) => {
    const p = purpose as keyof typeof claims;
    // Expired as well where links of the purpose expire.
    return TOKEN_TTL[p] === undefined ? [deps.tokens.sign(p, c)] : [deps.tokens.sign(p, c), deps.tokens.sign(p, c, -60)];
  });
}

const PARAMS = (deps: Deps) => ['x', 'INQ-ABCDEFGHJK', 'nl-2026-12', 'taro@example.com', 'a'.repeat(3000), '\u0000', ...tokens(deps)];

const BODIES: { type?: string; body?: string }[] = [
  {},
  { type: 'text/plain', body: 'hello' },
  { type: 'application/json', body: '{"brand": ' },
  { type: 'application/json', body: '{}' },
  { type: 'application/json', body: '[]' },
  { type: 'application/json', body: '{"brand":"livlog","email":"taro@example.com","topics":"newsletter","type":"nope","to":"nowhere"}' },
  { type: 'application/x-www-form-urlencoded', body: 'topics=newsletter&topics=events&action=nope' },
  { type: 'application/x-www-form-urlencoded', body: 'List-Unsubscribe=Two-Clicks' },
  { type: 'application/x-www-form-urlencoded', body: 'List-Unsubscribe=One-Click' },
  { type: 'multipart/form-data; boundary=xyz', body: '--xyz\r\nbroken' },
  { type: 'text/csv', body: 'email,reason\r\n' },
  { type: 'application/x-www-form-urlencoded', body: `pad=${'x'.repeat(1024 * 1024 + 10)}` },
];

interface Variant {
  param: string;
  query?: string;
  body: { type?: string; body?: string };
  accept: string;
  auth: boolean;
}

/** One dimension at a time around a base request, so every operation meets every kind of input. */
function variants(op: Op, params: string[]): Variant[] {
  const base: Variant = { param: 'x', body: {}, accept: 'application/json', auth: true };
  const out: Variant[] = [
    { ...base, auth: false },
    { ...base, accept: 'text/html' },
  ];
  for (const param of params) out.push({ ...base, param });
  for (const q of op.op.parameters?.filter((p) => p.in === 'query') ?? [])
    out.push({ ...base, query: `${q.name}=${'x'.repeat(5000)}` }, { ...base, query: `${q.name}=nope` });
  if (op.method !== 'GET' && op.method !== 'HEAD') {
    for (const body of BODIES) out.push({ ...base, body });
    // With a link that is good, each body reaches the route's own checks.
    for (const param of params.slice(-9)) for (const body of BODIES.slice(5, 9)) out.push({ ...base, param, body });
  }
  // Browsers and other clients alike, turn about.
  return out.map((v, i) => (i % 2 ? { ...v, accept: 'text/html' } : v));
}

async function ask(app: ReturnType<typeof createApp>, op: Op, v: Variant) {
  const headers: Record<string, string> = { accept: v.accept };
  if (v.auth) headers.authorization = `Bearer ${TEST_ADMIN_TOKEN}`;
  if (v.body.type) headers['content-type'] = v.body.type;
  if (v.body.body !== undefined) headers['content-length'] = String(Buffer.byteLength(v.body.body));
  const url = `${pathOf(op, () => v.param)}${v.query ? `?${v.query}` : ''}`;
  return app.request(url, { method: op.method, headers, ...(v.body.body !== undefined ? { body: v.body.body } : {}) });
}

async function problemsOf(app: ReturnType<typeof createApp>, deps: Deps) {
  const problems = new Set<string>();
  const seen = new Set<string>();
  for (const op of ops) {
    for (const v of variants(op, PARAMS(deps))) {
      const res = await ask(app, op, v);
      // A streamed answer (the suppression export) is cut short when the store fails mid-way.
      await res.arrayBuffer().catch(() => undefined);
      seen.add(`${op.method} ${op.path} ${res.status}`);
      for (const p of undeclared(op, res)) problems.add(p);
    }
  }
  return { problems: [...problems], seen };
}

describe('the document against the server', () => {
  it('documents every route the app serves, and serves every documented operation', () => {
    const served = new Set(stack.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`));
    const documented = new Set(ops.map((o) => `${o.method} ${o.path}`));
    // Hono answers HEAD with the GET handler, so a documented HEAD is served where its GET is.
    for (const o of ops.filter((o) => o.method === 'HEAD')) expect(served.has(`GET ${o.path}`), o.path).toBe(true);
    expect([...served].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !r.startsWith('HEAD ') && !served.has(r))).toEqual([]);
  });

  it('accepts the bodies the document describes: a multipart inquiry, a form topic sent once or repeated', async () => {
    const fd = new FormData();
    for (const [k, v] of Object.entries({ brand: 'livlog', type: 'question', email: uniqueEmail('multipart'), message: 'Hello' })) fd.set(k, v);
    const submit = ops.find((o) => o.op.operationId === 'submitInquiry') as Op;
    const inquiry = await stack.app.request('/v1/inquiries', { method: 'POST', body: fd });
    expect(inquiry.status).toBe(303);
    expect(undeclared(submit, inquiry)).toEqual([]);
    const subscribe = ops.find((o) => o.op.operationId === 'requestSubscription') as Op;
    for (const topics of [['newsletter'], ['newsletter', 'events']]) {
      const form = new URLSearchParams([['brand', 'livlog'], ['email', uniqueEmail('form')], ...topics.map((t): [string, string] => ['topics', t])]);
      const res = await stack.app.request('/v1/subscriptions', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
      expect(res.status, topics.join()).toBe(202);
      expect(undeclared(subscribe, res)).toEqual([]);
    }
  });

  it('answers every kind of bad request with a status, a media type and headers the operation declares', async () => {
    const { problems, seen } = await problemsOf(stack.app, stack.deps);
    expect(problems).toEqual([]);
    // The grid reaches the answers it is meant to: each kind of refusal, on the routes that give it.
    for (const answer of [
      'POST /u/{token} 403',
      'POST /v1/sends 401',
      'PUT /v1/preferences/{token} 415',
      'POST /v1/inquiries 413',
      'GET /confirm/{token} 410',
    ]) {
      expect(seen, answer).toContain(answer);
    }
  }, 120_000);

  it('declares 503 wherever a store that does not answer gives it', async () => {
    const config = testConfig();
    const db = createDb({ tableName: config.tableName, region: config.region, endpoint: 'http://127.0.0.1:9', clientConfig: { maxAttempts: 1 } });
    const deps = createDeps(config, { logger: silentLogger, db });
    const { problems, seen } = await problemsOf(createApp(deps), deps);
    expect(problems).toEqual([]);
    for (const answer of ['GET /u/{token} 503', 'GET /health 503', 'GET /admin/inquiries 503', 'POST /inquiries/verify/{token} 503'])
      expect(seen, answer).toContain(answer);
  }, 120_000);

  it('holds for random input too (fast-check, in the fuzz suite style)', async () => {
    // A path parameter is never empty, and `.` or `..` would make the URL another path.
    const nasty = fc
      .oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 100 }), fc.constantFrom('%00', '../x', 'ｔｅｓｔ', 'INQ-ABCDEFGHJK'))
      .filter((s) => s !== '' && s !== '.' && s !== '..');
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        nasty,
        fc.constantFrom(...BODIES.slice(0, -1)),
        fc.constantFrom('text/html', 'application/json', '*/*'),
        fc.boolean(),
        async (pick, param, body, accept, auth) => {
          const op = ops[pick % ops.length] as Op;
          const res = await ask(stack.app, op, { param, body: op.method === 'GET' || op.method === 'HEAD' ? {} : body, accept, auth });
          await res.arrayBuffer();
          expect(undeclared(op, res)).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);
});

import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOTYPE_KEYS, tokenWithKeyId } from '../support/prototype-keys';
import { createTestStack, type TestStack } from '../support/stack';

/**
 * Property-based fuzzing of every route in the generated OpenAPI document (so new routes are
 * covered as they are added): random bytes, huge values, wrong types, CR/LF, Unicode edge cases,
 * duplicate keys, in paths, headers and bodies. Whatever arrives: never a 5xx, never a stack
 * trace in a body, and a rejected request changes nothing in the store.
 */
let stack: TestStack;
let operations: { method: string; path: string }[] = [];

beforeAll(async () => {
  stack = await createTestStack();
  const doc = (await (await stack.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
  operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => ({ method: m.toUpperCase(), path })));
});
afterAll(() => stack.dispose());

const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    '',
    ' ',
    '\r\n',
    'a\r\nSet-Cookie: x=1',
    '\u0000',
    '\u2028',
    '\uFEFF',
    '😀',
    'ｔｅｓｔ＠ｅｘａｍｐｌｅ．ｃｏｍ',
    '../../etc/passwd',
    '%00',
    '%0d%0a',
    '<script>alert(1)</script>',
  ),
  fc.string({ minLength: 5000, maxLength: 20000 }),
  fc.stringMatching(/^[A-Za-z0-9_-]{10,80}\.[A-Za-z0-9_-]{43}$/),
  // Keys every plain object inherits, as values and as the key id of an authentic-looking token.
  fc.constantFrom(...PROTOTYPE_KEYS),
  fc.tuple(fc.constantFrom(...PROTOTYPE_KEYS), fc.constantFrom('unsubscribe', 'confirm', 'verify', 'status', 'export')).map(([k, p]) => tokenWithKeyId(k, p)),
);

const jsonValue = fc.jsonValue({ maxDepth: 4 });
const body = fc.oneof(
  jsonValue.map((v) => ({ type: 'application/json', data: JSON.stringify(v) as string | Uint8Array })),
  fc.dictionary(fc.string(), nasty).map((o) => ({ type: 'application/json', data: JSON.stringify(o) as string | Uint8Array })),
  fc
    .dictionary(fc.constantFrom(...PROTOTYPE_KEYS, 'brand', 'topics', 'topic', 'reason', 'type', 'email'), fc.oneof(nasty, fc.constantFrom(...PROTOTYPE_KEYS)))
    .map((o) => ({ type: 'application/json', data: JSON.stringify(o) as string | Uint8Array })),
  fc.constant({ type: 'application/json', data: '{"brand":"livlog","brand":{"x":1},"email":"a@b.co","email":["x"]}' as string | Uint8Array }),
  fc.constant({ type: 'application/json', data: '{"unterminated": ' as string | Uint8Array }),
  fc.array(fc.tuple(fc.string(), nasty), { maxLength: 8 }).map((pairs) => ({
    type: 'application/x-www-form-urlencoded',
    data: new URLSearchParams(pairs).toString() as string | Uint8Array,
  })),
  fc.uint8Array({ maxLength: 4000 }).map((bytes) => ({ type: 'multipart/form-data; boundary=xyz', data: bytes as string | Uint8Array })),
  fc.uint8Array({ maxLength: 4000 }).map((bytes) => ({ type: 'application/octet-stream', data: bytes as string | Uint8Array })),
  fc.constant({ type: 'text/csv', data: 'email,reason\r\n"unterminated,manual\r\n' as string | Uint8Array }),
);

const STACK_TRACE = /\n\s+at [^\n]+:\d+:\d+|node_modules|\.ts:\d+/;

async function snapshot() {
  const out = await stack.deps.db.doc.send(new ScanCommand({ TableName: stack.deps.db.tableName, ConsistentRead: true }));
  return JSON.stringify((out.Items ?? []).sort((a, b) => `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`)));
}

describe('fuzzing every route (fast-check)', () => {
  it('finds the routes to fuzz in the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThan(0);
  });

  it('never answers 5xx or leaks a stack trace, and a rejected request writes nothing', async () => {
    const before = await snapshot();
    let acceptedWrites = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.array(nasty, { minLength: 3, maxLength: 3 }),
        body,
        fc.record({ lang: nasty, accept: nasty, auth: fc.oneof(fc.constant(undefined), nasty) }),
        async (pick, params, b, h) => {
          const op = operations[pick % operations.length];
          if (!op) return;
          let i = 0;
          const path = op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(params[i++] ?? ''));
          const headers: Record<string, string> = { 'content-type': b.type };
          // Header values with CR/LF or non-Latin-1 cannot be sent at all; send what a client could.
          const safe = (v: string) => v.replace(/[^\x20-\x7e]/g, '').slice(0, 4000);
          headers['accept-language'] = safe(h.lang);
          headers.accept = safe(h.accept);
          if (h.auth !== undefined) headers.authorization = `Bearer ${safe(h.auth)}`;
          const init: RequestInit = { method: op.method, headers };
          if (!['GET', 'HEAD'].includes(op.method)) init.body = b.data;
          const res = await stack.app.request(path, init);
          const text = await res.text();
          if (res.status < 400 && !['GET', 'HEAD'].includes(op.method)) acceptedWrites++;
          expect(res.status, `${op.method} ${op.path}`).toBeLessThan(500);
          expect(text).not.toMatch(STACK_TRACE);
        },
      ),
      { numRuns: 400 },
    );
    // Random input is practically never a valid write; GET and HEAD never write (contract).
    expect(acceptedWrites).toBe(0);
    expect(await snapshot()).toBe(before);
  }, 240_000);
});

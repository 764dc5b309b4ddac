import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmTopics, erase } from '../../functions/core/consent';
import { parseCsvLine } from '../../functions/core/csv';
import { type NormalizedEmail, normalizeEmail } from '../../functions/core/email';
import { suppressionReasons } from '../../functions/core/suppressions';
import { getSubscriber, listLedger, updateSubscriber } from '../../functions/store/subscribers';
import { createTestStack, TEST_ADMIN_TOKEN, type TestStack, uniqueEmail } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack();
});
afterAll(() => stack.dispose());

const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const norm = (e: string) => (normalizeEmail(e) as { email: NormalizedEmail }).email;
const idOf = (s: TestStack, e: string) => s.deps.emailIdOf(norm(e));
const reasons = async (s: TestStack, e: string, brand?: string) => suppressionReasons(await getSubscriber(s.deps.db, idOf(s, e)), brand);

const call = (s: TestStack, method: string, path: string, body?: unknown, headers: Record<string, string> = auth) =>
  s.app.request(path, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

const putSuppression = (s: TestStack, email: string, body: unknown) => call(s, 'PUT', `/admin/suppressions/${encodeURIComponent(email)}`, body);

/** Sends CSV as a stream, cut into chunks at awkward places (mid-line, mid-character), with no Content-Length. */
function csvRequest(s: TestStack, csv: string | Uint8Array, chunkSize = 7) {
  const bytes = typeof csv === 'string' ? new TextEncoder().encode(csv) : csv;
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + chunkSize));
      at += chunkSize;
    },
  });
  return s.app.request('/admin/suppressions/import', {
    method: 'POST',
    headers: { ...auth, 'content-type': 'text/csv; charset=utf-8' },
    body,
    duplex: 'half',
  } as RequestInit);
}

type Report = { applied: number; changed: number; skipped: { line: number; error: string }[] };

describe('admin auth', () => {
  it.each([
    ['GET', '/admin/suppressions'],
    ['GET', '/admin/suppressions/export'],
    ['PUT', '/admin/suppressions/a%40example.com'],
    ['DELETE', '/admin/suppressions/a%40example.com?reason=x'],
    ['POST', '/admin/suppressions/import'],
    ['GET', '/admin/subscribers/a%40example.com'],
  ])('%s %s answers 401 without the admin token', async (method, path) => {
    const res = await stack.app.request(path, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(method === 'PUT' || method === 'POST' ? { body: '{}' } : {}),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    const wrong = await stack.app.request(path, { method, headers: { authorization: 'Bearer not-the-token-at-all' } });
    expect(wrong.status).toBe(401);
  });
});

describe('OpenAPI', () => {
  it('documents the suppression, subscriber and local SES routes', async () => {
    const doc = (await (await stack.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/admin/suppressions/{email}'] ?? {}).sort()).toEqual(['delete', 'put']);
    for (const p of ['/admin/suppressions', '/admin/suppressions/import', '/admin/suppressions/export', '/admin/subscribers/{email}', '/local/ses-events']) {
      expect(doc.paths[p]).toBeDefined();
    }
  });
});

describe('PUT, GET and DELETE /admin/suppressions', () => {
  it('suppresses an address for one brand, lists it by reason and shows it on the subscriber', async () => {
    const email = uniqueEmail('manual');
    const res = await putSuppression(stack, email, { reason: 'manual', brand: 'chroco', note: 'asked by phone' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      changed: true,
      suppression: { email, reason: 'manual', brand: 'chroco', source: 'admin', note: 'asked by phone' },
    });
    expect(await reasons(stack, email, 'chroco')).toEqual(['manual']);
    expect(await reasons(stack, email, 'livlog')).toEqual([]);

    const list = (await (await call(stack, 'GET', '/admin/suppressions?reason=manual&limit=500')).json()) as { items: { email?: string }[] };
    expect(list.items).toContainEqual(expect.objectContaining({ email, reason: 'manual', brand: 'chroco', source: 'admin' }));

    const shown = await call(stack, 'GET', `/admin/subscribers/${encodeURIComponent(email.toUpperCase())}`);
    expect(shown.status).toBe(200);
    const records = (await shown.json()) as { profile: { email: string }; ledger: { type: string; by: string }[]; suppressions: { scope: string }[] };
    expect(records.profile.email).toBe(email);
    expect(records.ledger).toEqual([expect.objectContaining({ type: 'suppressed', by: 'admin', reason: 'asked by phone' })]);
    expect(records.suppressions).toEqual([expect.objectContaining({ scope: 'chroco', reason: 'manual' })]);
  });

  it('keeps a stronger reason and says nothing changed', async () => {
    const email = uniqueEmail('stronger');
    await putSuppression(stack, email, { reason: 'complaint' });
    const res = await putSuppression(stack, email, { reason: 'manual' });
    expect(await res.json()).toMatchObject({ changed: false, suppression: { reason: 'complaint', brand: null } });
  });

  it('refuses erasure, unknown brands, bad addresses and wrong media types', async () => {
    expect((await putSuppression(stack, uniqueEmail(), { reason: 'erasure' })).status).toBe(400);
    const brand = await putSuppression(stack, uniqueEmail(), { reason: 'manual', brand: 'nope' });
    expect(brand.status).toBe(400);
    expect(await brand.json()).toMatchObject({ error: { code: 'invalid-request', details: [{ path: 'brand' }] } });
    const bad = await putSuppression(stack, 'a\u0007b@example.com', { reason: 'manual' });
    expect(await bad.json()).toMatchObject({
      error: { code: 'invalid-request', details: [{ path: 'email', message: 'invalid address (control-characters)' }] },
    });
    const form = await stack.app.request('/admin/suppressions/x%40example.com', {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'text/plain' },
      body: 'reason=manual',
    });
    expect(form.status).toBe(415);
  });

  it('lifts a suppression, recording who and why in the ledger; a second lift is 404', async () => {
    const email = uniqueEmail('lift');
    await putSuppression(stack, email, { reason: 'bounce', brand: 'livlog' });
    const missing = await call(stack, 'DELETE', `/admin/suppressions/${encodeURIComponent(email)}?brand=livlog`);
    expect(await missing.json()).toMatchObject({ error: { code: 'invalid-request', details: [{ path: 'reason' }] } });
    const res = await call(
      stack,
      'DELETE',
      `/admin/suppressions/${encodeURIComponent(email)}?brand=livlog&reason=${encodeURIComponent('mailbox fixed, confirmed by the user')}`,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ lifted: { email, brand: 'livlog', reason: 'bounce', createdAt: expect.any(String) } });
    expect(await reasons(stack, email)).toEqual([]);
    const ledger = await listLedger(stack.deps.db, idOf(stack, email));
    expect(ledger.at(-1)).toMatchObject({
      type: 'suppression-lifted',
      by: 'admin',
      reason: 'mailbox fixed, confirmed by the user',
      changes: [{ brand: 'livlog', from: 'bounce', to: 'none' }],
    });
    const list = (await (await call(stack, 'GET', '/admin/suppressions?reason=bounce&limit=500')).json()) as { items: { email?: string }[] };
    expect(list.items.some((i) => i.email === email)).toBe(false);
    expect((await call(stack, 'DELETE', `/admin/suppressions/${encodeURIComponent(email)}?brand=livlog&note=again`)).status).toBe(404);
  });

  it('never lifts an erasure (409) and lists the tombstone without an address', async () => {
    const email = uniqueEmail('erased');
    await updateSubscriber(stack.deps.db, stack.clock, idOf(stack, email), (s) => {
      const d = confirmTopics(s, 'livlog', ['newsletter'], { at: stack.clock.now(), source: 'confirmation' });
      return d && { ...d, next: { ...d.next, email: norm(email) } };
    });
    await updateSubscriber(stack.deps.db, stack.clock, idOf(stack, email), (s) => erase(s, { at: stack.clock.now(), source: 'inquiry' }));
    const res = await call(stack, 'DELETE', `/admin/suppressions/${encodeURIComponent(email)}?reason=please`);
    expect(res.status).toBe(409);
    expect(await reasons(stack, email)).toEqual(['erasure']);
    const list = (await (await call(stack, 'GET', '/admin/suppressions?reason=erasure')).json()) as { items: { email?: string; reason: string }[] };
    expect(list.items).toContainEqual(expect.objectContaining({ reason: 'erasure', brand: null }));
    expect(list.items.every((i) => i.email === undefined)).toBe(true);
  });

  it('answers 404 for an address nothing is held about', async () => {
    expect((await call(stack, 'GET', `/admin/subscribers/${encodeURIComponent(uniqueEmail('nobody'))}`)).status).toBe(404);
  });
});

describe('paging GET /admin/suppressions', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await createTestStack();
  });
  afterAll(() => s.dispose());

  it('pages by reason, newest first, with an opaque cursor, then across reasons without one', async () => {
    const manual = Array.from({ length: 7 }, (_, i) => uniqueEmail(`page${i}`));
    for (const email of manual) {
      s.clock.advance(1000);
      await putSuppression(s, email, { reason: 'manual' });
    }
    const complaint = uniqueEmail('pc');
    await putSuppression(s, complaint, { reason: 'complaint' });

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call(s, 'GET', `/admin/suppressions?reason=manual&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { items: { email: string }[]; cursor: string | null };
      seen.push(...page.items.map((i) => i.email));
      cursor = page.cursor;
      if (cursor) expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual([...manual].reverse());

    const all: string[] = [];
    cursor = null;
    do {
      const page = (await (await call(s, 'GET', `/admin/suppressions?limit=5${cursor ? `&cursor=${cursor}` : ''}`)).json()) as {
        items: { email: string }[];
        cursor: string | null;
      };
      all.push(...page.items.map((i) => i.email));
      cursor = page.cursor;
    } while (cursor);
    expect(all).toEqual([complaint, ...[...manual].reverse()]);
  });

  it('refuses a tampered cursor or one from another reason with 400', async () => {
    const first = (await (await call(s, 'GET', '/admin/suppressions?reason=manual&limit=2')).json()) as { cursor: string };
    expect(first.cursor).toBeTruthy();
    const decoded = JSON.parse(Buffer.from(first.cursor, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...decoded, k: { ...decoded.k, gsi2pk: 'INQ#received' } })).toString('base64url');
    for (const bad of ['not-a-cursor', forged, Buffer.from('{"r":"nope"}').toString('base64url')]) {
      const res = await call(s, 'GET', `/admin/suppressions?reason=manual&cursor=${bad}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid-request', details: [{ path: 'cursor' }] } });
    }
    expect((await call(s, 'GET', `/admin/suppressions?reason=bounce&cursor=${first.cursor}`)).status).toBe(400);
  });
});

describe('POST /admin/suppressions/import', () => {
  it('applies the valid lines of a messy CSV and reports every other line by its number', async () => {
    const a = uniqueEmail('imp-a');
    const b = uniqueEmail('imp-b');
    const c = uniqueEmail('imp-c');
    const d = uniqueEmail('imp-d');
    const lines = [
      'Email,Reason,Brand,CreatedAt', // 1
      `${a},bounce,,2026-01-02T03:04:05Z`, // 2
      '', // 3 empty
      `"${b}","manual","livlog",""`, // 4 quoted
      `${a},bounce,,2026-01-02T03:04:05Z`, // 5 duplicate of 2
      'bad\u0001addr@example.com,manual,,', // 6 control character
      `${c},spam,,`, // 7 unknown reason
      `${c},manual,nosuchbrand,`, // 8 unknown brand
      `${c},erasure,,`, // 9 erasure
      `${c},manual,,yesterday`, // 10 bad time
      `${c},manual,,,extra`, // 11 too many fields
      `"${c},manual,,`, // 12 unterminated quote
      '   ', // 13 blank
      `  ${d.toUpperCase()} , Complaint , cotogoto ,2026-02-03`, // 14 spaces, case
      `${c},manual,,2099-01-01T00:00:00Z`, // 15 future
      `${c},unsubscribe,chroco,`, // 16
      '', // 17 trailing empty
    ];
    const csv = `\uFEFF${lines.join('\r\n')}`;
    const res = await csvRequest(stack, csv);
    expect(res.status).toBe(200);
    const report = (await res.json()) as Report;
    expect(report).toEqual({
      applied: 4,
      changed: 4,
      skipped: [
        { line: 5, error: 'duplicate of line 2' },
        { line: 6, error: 'invalid address (control-characters)' },
        { line: 7, error: 'unknown reason (expected complaint, bounce, manual, unsubscribe)' },
        { line: 8, error: 'unknown brand; one of livlog, livlog-xyz, cotogoto, chroco' },
        { line: 9, error: 'reason erasure cannot be imported; erasure comes from an erasure inquiry' },
        { line: 10, error: 'createdAt is not an ISO 8601 time' },
        { line: 11, error: 'expected 4 fields, found 5' },
        { line: 12, error: 'unterminated quoted field' },
        { line: 15, error: 'createdAt is in the future' },
      ],
    });
    expect(await reasons(stack, a)).toEqual(['bounce']);
    expect((await getSubscriber(stack.deps.db, idOf(stack, a)))?.suppressions['*']).toMatchObject({ at: '2026-01-02T03:04:05.000Z', source: 'import' });
    expect(await reasons(stack, b, 'livlog')).toEqual(['manual']);
    expect(await reasons(stack, d, 'cotogoto')).toEqual(['complaint']);
    expect(await reasons(stack, c, 'chroco')).toEqual(['unsubscribe']);
    expect(await reasons(stack, c, 'livlog')).toEqual([]);
    const ledger = await listLedger(stack.deps.db, idOf(stack, d));
    expect(ledger).toEqual([expect.objectContaining({ type: 'suppressed', source: 'import', by: 'admin' })]);

    // The same file again changes nothing and still reports the same lines.
    const again = (await (await csvRequest(stack, csv, 4096)).json()) as Report;
    expect(again).toMatchObject({ applied: 4, changed: 0 });
    expect(again.skipped).toHaveLength(9);
  });

  it('refuses a file without the header before applying anything, and other media types', async () => {
    const email = uniqueEmail('nohdr');
    const res = await csvRequest(stack, `${email},manual,,\r\n`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid-request', details: [{ path: 'line 1' }] } });
    expect(await reasons(stack, email)).toEqual([]);
    const json = await stack.app.request('/admin/suppressions/import', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(415);
  });

  it('reads at most 100,000 lines a call (a body well over the app-wide 1 MB) and says where it stopped', async () => {
    const line = 'x@example.com,bogus,,\n';
    const csv = `email,reason,brand,createdAt\n${line.repeat(100_002)}`;
    expect(csv.length).toBeGreaterThan(2 * 1024 * 1024);
    const res = await csvRequest(stack, csv, 64 * 1024);
    expect(res.status).toBe(200);
    const report = (await res.json()) as Report;
    expect(report.applied).toBe(0);
    expect(report.skipped).toHaveLength(100_001);
    expect(report.skipped[0]).toEqual({ line: 2, error: 'unknown reason (expected complaint, bounce, manual, unsubscribe)' });
    expect(report.skipped.at(-2)?.line).toBe(100_001);
    expect(report.skipped.at(-1)).toEqual({ line: 100_002, error: expect.stringMatching(/^not read: a request holds at most 100001 lines/) });
  });
});

describe('import and export round trip', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await createTestStack();
  });
  afterAll(() => s.dispose());

  it('imports 10,000 rows and exports exactly them as CSV, streamed; importing the export changes nothing', async () => {
    const brands = ['', 'livlog', 'livlog-xyz', 'cotogoto', 'chroco'];
    const reasonsList = ['bounce', 'complaint', 'manual', 'unsubscribe'];
    const rows = Array.from({ length: 10_000 }, (_, i) => {
      const email = `rt.${i}.${Math.random().toString(36).slice(2, 8)}@example.com`;
      const createdAt = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
      return [email, reasonsList[i % 4] as string, brands[i % 5] as string, createdAt];
    });
    const csv = `email,reason,brand,createdAt\r\n${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;
    const res = await csvRequest(s, csv, 16 * 1024);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ applied: 10_000, changed: 10_000, skipped: [] });

    const exported = await s.app.request('/admin/suppressions/export', { headers: auth });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = await exported.text();
    const lines = text.split('\r\n').filter((l) => l !== '');
    expect(lines[0]).toBe('email,reason,brand,createdAt');
    const back = lines.slice(1).map((l) => (parseCsvLine(l) as { fields: string[] }).fields.join(','));
    expect(back).toHaveLength(10_000);
    expect(new Set(back)).toEqual(new Set(rows.map((r) => r.join(','))));

    const again = (await (await csvRequest(s, text, 16 * 1024)).json()) as Report;
    expect(again).toEqual({ applied: 10_000, changed: 0, skipped: [] });

    const onlyComplaints = await (await s.app.request('/admin/suppressions/export?reason=complaint', { headers: auth })).text();
    expect(onlyComplaints.split('\r\n').filter((l) => l !== '')).toHaveLength(2_501);
  }, 300_000);
});

describe('an address planted as a spreadsheet formula', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await createTestStack();
  });
  afterAll(() => s.dispose());

  it('is exported as a cell that no spreadsheet runs, and the export imports back to the same address', async () => {
    const planted = ["=cmd|'/ccalc'!A1@example.com", '+1+1@example.com', '-x@example.com'];
    for (const email of planted) expect((await putSuppression(s, email, { reason: 'manual' })).status).toBe(200);

    const text = await (await s.app.request('/admin/suppressions/export', { headers: auth })).text();
    const cells = text
      .split('\r\n')
      .slice(1)
      .filter((l) => l !== '')
      .map((l) => l.replace(/^"/, '').split(',')[0] ?? '');
    expect(cells).toHaveLength(planted.length);
    for (const cell of cells) expect(cell).toMatch(/^'[=+\-@]/);

    const again = (await (await csvRequest(s, text, 64)).json()) as Report;
    expect(again).toEqual({ applied: planted.length, changed: 0, skipped: [] });
    for (const email of planted) expect(await reasons(s, email)).toEqual(['manual']);
  });
});

import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erase } from '../../functions/core/consent';
import { verifyLedger } from '../../functions/core/ledger';
import { CSP } from '../../functions/http/pages/headers';
import { listUnsubscribeHeaders, unsubscribeUrl } from '../../functions/mail/list-unsubscribe';
import { keys } from '../../functions/store/keys';
import { getSubscriber, listLedger, updateSubscriber } from '../../functions/store/subscribers';
import { waitForMails } from '../support/inbox';
import { createTestStack, emailIdFor, type TestStack, uniqueEmail } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  // Every test subscribes its own addresses from one client IP: more than the intake's hourly 20.
  stack = await createTestStack({ config: { INTAKE_LIMIT_PER_IP: '1000' } });
});
afterAll(() => stack.dispose());

const CLIENT = { incoming: { socket: { remoteAddress: '198.51.100.20' } } };
const FORM = 'application/x-www-form-urlencoded';
const GMAIL_UA = 'Mozilla/5.0 (compatible; Google-Mail-Unsubscribe)';

const idFor = (addr: string) => emailIdFor(stack, addr);
/** The token of the link the send pipeline puts in List-Unsubscribe (functions/mail/list-unsubscribe.ts). */
const unsubscribeToken = (addr: string, topic = 'newsletter', brand = 'livlog') => {
  const url = unsubscribeUrl(stack.deps.config.publicBaseUrl, stack.deps.tokens, { brand, emailId: idFor(addr), topic });
  const header = listUnsubscribeHeaders(url)[0]?.value ?? '';
  return /^<[^>]+\/u\/([^>]+)>$/.exec(header)?.[1] ?? '';
};
const ledgerLength = async (addr: string) => (await listLedger(stack.deps.db, idFor(addr))).length;
const stateOf = async (addr: string, topic: string, brand = 'livlog') => (await getSubscriber(stack.deps.db, idFor(addr)))?.brands[brand]?.topics[topic]?.state;

/** Subscribes and confirms through the routes, as a person would. */
async function subscribed(addr: string, topics: string[], brand = 'livlog') {
  const res = await stack.app.request('/v1/subscriptions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ brand, email: addr, topics }),
  });
  expect(res.status).toBe(202);
  const confirm = stack.deps.tokens.sign('confirm', { b: brand, e: idFor(addr), t: topics, l: 'ja' });
  expect((await stack.app.request(`/confirm/${confirm}`, { method: 'POST', headers: { 'content-type': FORM }, body: '' })).status).toBe(200);
}

const oneClick = (token: string, body: string | FormData, headers: Record<string, string> = {}) =>
  stack.app.request(`/u/${token}`, { method: 'POST', headers: { 'user-agent': GMAIL_UA, ...headers }, body }, CLIENT);

describe('POST /u/{token} (RFC 8058 one-click)', () => {
  it("unsubscribes the token's topic from a Gmail-style urlencoded POST: 200, short page, no redirect, one event; repeated, it changes nothing", async () => {
    const addr = uniqueEmail('oneclick');
    await subscribed(addr, ['newsletter', 'events']);
    const token = unsubscribeToken(addr);
    const before = await ledgerLength(addr);
    const res = await oneClick(token, 'List-Unsubscribe=One-Click', { 'content-type': FORM });
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(await res.text()).toContain('配信を停止しました');
    expect(await stateOf(addr, 'newsletter')).toBe('unsubscribed');
    expect(await stateOf(addr, 'events')).toBe('subscribed');
    const ledger = await listLedger(stack.deps.db, idFor(addr));
    expect(ledger).toHaveLength(before + 1);
    expect(ledger.at(-1)).toMatchObject({
      type: 'unsubscribed',
      source: 'one-click',
      ip: '198.51.100.20',
      userAgent: GMAIL_UA,
      policyVersion: stack.deps.config.policyVersion,
      wording: expect.stringContaining('One-Click'),
      changes: [{ brand: 'livlog', topic: 'newsletter', from: 'subscribed', to: 'unsubscribed' }],
    });

    const again = await oneClick(token, 'List-Unsubscribe=One-Click', { 'content-type': FORM });
    expect(again.status).toBe(200);
    expect(await ledgerLength(addr)).toBe(before + 1);
  });

  it("links each page to its own token's preference center, in the language asked for (pages are rendered once per brand, topic and language)", async () => {
    const [a, b] = [uniqueEmail('page-a'), uniqueEmail('page-b')];
    for (const addr of [a, b]) await subscribed(addr, ['newsletter']);
    const pages = [];
    for (const [addr, lang] of [
      [a, 'ja'],
      [b, 'ja'],
      [a, 'en'],
    ] as const) {
      const token = unsubscribeToken(addr);
      const res = await stack.app.request(`/u/${token}?lang=${lang}`, {
        method: 'POST',
        headers: { 'content-type': FORM },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(res.status).toBe(200);
      pages.push({ token, lang, html: await res.text() });
    }
    for (const { token, lang, html } of pages) {
      expect(html).toContain(`href="/u/${token}?lang=${lang}"`);
      expect(html).toContain(`<html lang="${lang}"`);
      for (const other of pages) if (other.token !== token) expect(html).not.toContain(other.token);
    }
    expect(pages[0]?.html.replace(pages[0].token, '')).toBe(pages[1]?.html.replace(pages[1].token, ''));
  });

  it('answers a broken multipart body 400, never 500', async () => {
    const addr = uniqueEmail('broken-multipart');
    await subscribed(addr, ['newsletter']);
    const res = await oneClick(unsubscribeToken(addr), '--b\r\nbroken', { 'content-type': 'multipart/form-data; boundary=b' });
    expect(res.status).toBe(400);
    expect(await stateOf(addr, 'newsletter')).toBe('subscribed');
  });

  it('accepts multipart/form-data too', async () => {
    const addr = uniqueEmail('multipart');
    await subscribed(addr, ['promotions']);
    const fd = new FormData();
    fd.set('List-Unsubscribe', 'One-Click');
    const res = await oneClick(unsubscribeToken(addr, 'promotions'), fd);
    expect(res.status).toBe(200);
    expect(await stateOf(addr, 'promotions')).toBe('unsubscribed');
  });

  it('records the topic as unsubscribed for an address the store never saw, without storing any address', async () => {
    const addr = uniqueEmail('unknown');
    const res = await oneClick(unsubscribeToken(addr, 'events', 'chroco'), 'List-Unsubscribe=One-Click', { 'content-type': FORM });
    expect(res.status).toBe(200);
    const s = await getSubscriber(stack.deps.db, idFor(addr));
    expect(s?.email).toBeUndefined();
    expect(s?.brands.chroco?.topics.events?.state).toBe('unsubscribed');
    const ledger = await listLedger(stack.deps.db, idFor(addr));
    expect(s && verifyLedger(ledger, s.ledger)).toEqual({ ok: true });
  });

  it('keeps an erased tombstone a tombstone (no address comes back) while recording the topic', async () => {
    const addr = uniqueEmail('erased');
    await subscribed(addr, ['newsletter']);
    await updateSubscriber(stack.deps.db, stack.clock, idFor(addr), (s) => erase(s, { at: stack.clock.now(), source: 'inquiry' }));
    const res = await oneClick(unsubscribeToken(addr), 'List-Unsubscribe=One-Click', { 'content-type': FORM });
    expect(res.status).toBe(200);
    const s = await getSubscriber(stack.deps.db, idFor(addr));
    expect(s?.status).toBe('erased');
    expect(s?.email).toBeUndefined();
    expect(s?.suppressions['*']?.reason).toBe('erasure');
    expect(s?.brands.livlog?.topics.newsletter?.state).toBe('unsubscribed');
    // Nothing of the request joins the tombstone's redacted ledger.
    const last = (await listLedger(stack.deps.db, idFor(addr))).at(-1);
    expect(last).toMatchObject({ type: 'unsubscribed', source: 'one-click' });
    expect(last).not.toHaveProperty('ip');
    expect(last).not.toHaveProperty('userAgent');
  });

  it('accepts the bodies real mail clients send: a trailing CRLF or LF, surrounding spaces, a multipart value with CRLF', async () => {
    const bodies: [string, string | FormData][] = [
      [FORM, 'List-Unsubscribe=One-Click\r\n'],
      [FORM, 'List-Unsubscribe=One-Click\n'],
      [FORM, 'List-Unsubscribe=One-Click%0D%0A'],
      [FORM, 'List-Unsubscribe=%20One-Click%20'],
      [FORM, 'List-Unsubscribe=One-Click&'],
      ['multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b--\r\n'],
    ];
    for (const [type, body] of bodies) {
      const addr = uniqueEmail('crlf');
      await subscribed(addr, ['newsletter']);
      const res = await oneClick(unsubscribeToken(addr), body, { 'content-type': type });
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(await stateOf(addr, 'newsletter')).toBe('unsubscribed');
    }
    // Still not any value: the contract's body, not another.
    const addr = uniqueEmail('crlf-no');
    await subscribed(addr, ['newsletter']);
    expect((await oneClick(unsubscribeToken(addr), 'List-Unsubscribe=Two-Click\r\n', { 'content-type': FORM })).status).toBe(400);
    expect(await stateOf(addr, 'newsletter')).toBe('subscribed');
  });

  it('refuses a body without List-Unsubscribe=One-Click (400) and a JSON body (415), changing nothing', async () => {
    const addr = uniqueEmail('nobody');
    await subscribed(addr, ['newsletter']);
    const before = await ledgerLength(addr);
    const missing = await oneClick(unsubscribeToken(addr), 'foo=bar', { 'content-type': FORM });
    expect(missing.status).toBe(400);
    // A page for people: what happened and the way back, not the validator's field codes.
    const page = await missing.text();
    expect(page).toContain('入力内容に誤りがあります。');
    expect(page).toContain(`/u/${unsubscribeToken(addr)}?lang=ja`);
    const json = await oneClick(unsubscribeToken(addr), '{}', { 'content-type': 'application/json' });
    expect(json.status).toBe(415);
    const big = await oneClick(unsubscribeToken(addr), `List-Unsubscribe=One-Click&pad=${'x'.repeat(1024 * 1024)}`, { 'content-type': FORM });
    expect(big.status).toBe(413);
    expect(await stateOf(addr, 'newsletter')).toBe('subscribed');
    expect(await ledgerLength(addr)).toBe(before);
  });

  it('refuses malformed (400), tampered and wrong-purpose (403) tokens, changing nothing', async () => {
    const addr = uniqueEmail('badtoken');
    await subscribed(addr, ['newsletter']);
    const token = unsubscribeToken(addr);
    const [body = '', sig = ''] = token.split('.');
    const other = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), t: 'events' })).toString('base64url');
    const before = await ledgerLength(addr);
    for (const [t, status] of [
      ['garbage', 400],
      [`${other}.${sig}`, 403],
      [stack.deps.tokens.sign('confirm', { b: 'livlog', e: idFor(addr), t: ['newsletter'] }), 403],
    ] as const) {
      const res = await oneClick(t, 'List-Unsubscribe=One-Click', { 'content-type': FORM });
      expect(res.status).toBe(status);
    }
    expect(await ledgerLength(addr)).toBe(before);
  });
});

describe('GET/HEAD /u/{token} (preference center)', () => {
  it('changes nothing when a link scanner fetches it with GET or HEAD', async () => {
    const addr = uniqueEmail('scanner');
    await subscribed(addr, ['newsletter']);
    const token = unsubscribeToken(addr);
    const before = await getSubscriber(stack.deps.db, idFor(addr));
    const ledger = await ledgerLength(addr);
    for (const method of ['GET', 'HEAD']) {
      const res = await stack.app.request(`/u/${token}`, { method, headers: { 'user-agent': 'SafeLinks-Scanner' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
    }
    expect(await ledgerLength(addr)).toBe(ledger);
    expect(await getSubscriber(stack.deps.db, idFor(addr))).toEqual(before);
  });

  it('speaks Japanese by default, English by Accept-Language, and ?lang wins; shows brand, masked address, each state, security headers', async () => {
    const addr = `&x.${Date.now()}@example.com`;
    await subscribed(addr, ['newsletter'], 'cotogoto');
    const token = unsubscribeToken(addr, 'newsletter', 'cotogoto');
    const ja = await stack.app.request(`/u/${token}`);
    for (const [h, v] of [
      ['content-security-policy', CSP],
      ['x-frame-options', 'DENY'],
      ['referrer-policy', 'no-referrer'],
      ['cache-control', 'no-store'],
      ['x-content-type-options', 'nosniff'],
    ]) {
      expect(ja.headers.get(h as string)).toBe(v);
    }
    const jaHtml = await ja.text();
    expect(jaHtml.startsWith('<!doctype html><html lang="ja">')).toBe(true);
    expect(jaHtml).toContain('コトゴト');
    expect(jaHtml).toContain('メール配信の設定');
    expect(jaHtml).toContain('&amp;***@example.com');
    expect(jaHtml).not.toContain(addr);
    expect(jaHtml).not.toContain('<script');
    expect(jaHtml).toContain('https://cotogoto.ai/privacy');
    expect(jaHtml).toContain('/contact?brand=cotogoto');

    const en = await (await stack.app.request(`/u/${token}`, { headers: { 'accept-language': 'en-GB,en;q=0.8,ja;q=0.5' } })).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Email preferences');
    expect(en).toContain('Cotogoto');
    expect(en).toMatch(/id="topic-newsletter"[^>]*checked/);
    expect(en).toContain('data-state="subscribed">Subscribed');
    expect(en).toContain('data-state="unsubscribed">Not subscribed');
    expect(en).toContain('<legend>Emails you want from Cotogoto</legend>');
    expect(en).toContain('<label for="topic-promotions">');

    const forced = await (await stack.app.request(`/u/${token}?lang=en`, { headers: { 'accept-language': 'ja' } })).text();
    expect(forced).toContain('<html lang="en">');
  });
});

describe("POST /u/{token}/preferences (the page's form)", () => {
  const submit = (token: string, form: [string, string][], lang = 'en') =>
    stack.app.request(
      `/u/${token}/preferences?lang=${lang}`,
      { method: 'POST', headers: { 'content-type': FORM, 'user-agent': 'browser/3' }, body: new URLSearchParams(form).toString() },
      CLIENT,
    );

  it('saves the ticked topics, 303s back to the page keeping the language, which then says it saved', async () => {
    const addr = uniqueEmail('save');
    await subscribed(addr, ['newsletter', 'events']);
    const token = unsubscribeToken(addr);
    const res = await submit(token, [
      ['topics', 'newsletter'],
      ['action', 'save'],
    ]);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/u/${token}?saved=1&lang=en`);
    expect(await stateOf(addr, 'events')).toBe('unsubscribed');
    expect(await stateOf(addr, 'newsletter')).toBe('subscribed');
    const ledger = await listLedger(stack.deps.db, idFor(addr));
    expect(ledger.at(-1)).toMatchObject({
      source: 'preference-page',
      ip: '198.51.100.20',
      userAgent: 'browser/3',
      wording: 'Send me only the emails from LivLog that I have chosen here.',
      changes: [{ brand: 'livlog', topic: 'events', from: 'subscribed', to: 'unsubscribed' }],
    });
    // Never-subscribed topics left unticked are not written.
    expect((ledger.at(-1) as { changes?: unknown[] } | undefined)?.changes).toHaveLength(1);
    const page = await (await stack.app.request(res.headers.get('location') ?? '')).text();
    expect(page).toContain('role="status"');
    expect(page).toContain('Your choices have been saved.');
  });

  it('unsubscribes from everything of the brand, then resubscribes only what was confirmed before', async () => {
    const addr = uniqueEmail('all');
    await subscribed(addr, ['newsletter', 'surveys']);
    const token = unsubscribeToken(addr);
    expect((await submit(token, [['action', 'unsubscribe-all']])).status).toBe(303);
    const s = await getSubscriber(stack.deps.db, idFor(addr));
    expect(Object.values(s?.brands.livlog?.topics ?? {}).map((t) => t.state)).toEqual(['unsubscribed', 'unsubscribed', 'unsubscribed', 'unsubscribed']);
    const page = await (await stack.app.request(`/u/${token}?lang=en`)).text();
    expect(page).toContain('Resubscribe (Newsletter, Surveys)');

    expect((await submit(token, [['action', 'resubscribe']])).status).toBe(303);
    expect(await stateOf(addr, 'newsletter')).toBe('subscribed');
    expect(await stateOf(addr, 'surveys')).toBe('subscribed');
    expect(await stateOf(addr, 'promotions')).toBe('unsubscribed');
    expect(await stateOf(addr, 'events')).toBe('unsubscribed');
    expect((await listLedger(stack.deps.db, idFor(addr))).at(-1)).toMatchObject({ type: 'resubscribed', source: 'preference-page' });
  });

  it('never subscribes a topic that was not confirmed: ticking it makes it pending and mails a confirmation', async () => {
    const addr = uniqueEmail('optin');
    await subscribed(addr, ['newsletter']);
    stack.clock.advance(11 * 60 * 1000); // past the subscribe window of the first request
    const token = unsubscribeToken(addr);
    expect(
      (
        await submit(token, [
          ['topics', 'newsletter'],
          ['topics', 'promotions'],
        ])
      ).status,
    ).toBe(303);
    expect(await stateOf(addr, 'promotions')).toBe('pending');
    const mails = await waitForMails(addr, 2);
    expect(mails).toHaveLength(2);
    expect(mails[1]?.subject).toBe('Please confirm your subscription to LivLog');
  });

  it('refuses unknown topics with a 400 page, nothing of them unescaped, changing nothing', async () => {
    const addr = uniqueEmail('unknowntopic');
    await subscribed(addr, ['newsletter']);
    const before = await ledgerLength(addr);
    const res = await submit(unsubscribeToken(addr), [['topics', '<img src=x onerror=alert(1)>']]);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Some fields are missing or not valid.');
    expect(html).not.toContain('<img');
    expect(await ledgerLength(addr)).toBe(before);
  });
});

describe('GET/PUT /v1/preferences/{token}', () => {
  it("answers the masked address, every topic's state and updatedAt", async () => {
    const addr = uniqueEmail('json');
    await subscribed(addr, ['newsletter'], 'chroco');
    const res = await stack.app.request(`/v1/preferences/${unsubscribeToken(addr, 'newsletter', 'chroco')}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      brand: 'chroco',
      email: `${addr[0]}***@example.com`,
      topics: { newsletter: 'subscribed', promotions: 'unsubscribed', events: 'unsubscribed', surveys: 'unsubscribed' },
      updatedAt: stack.clock.now().toISOString(),
    });
  });

  it('changes topics and unsubscribes from all; resubscribing a never-confirmed topic only makes it pending', async () => {
    const addr = uniqueEmail('put');
    await subscribed(addr, ['newsletter', 'events']);
    const path = `/v1/preferences/${unsubscribeToken(addr)}`;
    const put = (body: unknown) =>
      stack.app.request(path, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, CLIENT);
    const r1 = await put({ topics: { events: 'unsubscribed', surveys: 'subscribed' } });
    expect(r1.status).toBe(200);
    expect(((await r1.json()) as { topics: Record<string, string> }).topics).toEqual({
      newsletter: 'subscribed',
      promotions: 'unsubscribed',
      events: 'unsubscribed',
      surveys: 'pending',
    });
    expect((await listLedger(stack.deps.db, idFor(addr))).at(-2)).toMatchObject({ source: 'api', ip: '198.51.100.20' });
    const r2 = await put({ topics: { events: 'subscribed' } });
    expect(((await r2.json()) as { topics: Record<string, string> }).topics.events).toBe('subscribed');
    const before = await ledgerLength(addr);
    expect((await put({ topics: { events: 'subscribed' } })).status).toBe(200);
    expect(await ledgerLength(addr)).toBe(before);
    const r3 = await put({ all: 'unsubscribed' });
    expect(Object.values(((await r3.json()) as { topics: Record<string, string> }).topics)).toEqual([
      'unsubscribed',
      'unsubscribed',
      'unsubscribed',
      'unsubscribed',
    ]);
  });

  it('refuses unknown topics, bad states and bad shapes with 400 details; other media types with 415', async () => {
    const addr = uniqueEmail('putbad');
    await subscribed(addr, ['newsletter']);
    const path = `/v1/preferences/${unsubscribeToken(addr)}`;
    const put = (body: string, ct = 'application/json') => stack.app.request(path, { method: 'PUT', headers: { 'content-type': ct }, body });
    const before = await ledgerLength(addr);
    const unknown = await put(JSON.stringify({ topics: { newsletter: 'unsubscribed', weather: 'unsubscribed' } }));
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: { code: 'invalid-request', details: [{ path: 'topics.weather' }] } });
    const bad = await put(JSON.stringify({ topics: { newsletter: 'pending' } }));
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid-request', details: [{ path: 'topics.newsletter' }] } });
    expect((await put(JSON.stringify({ topics: {}, all: 'unsubscribed' }))).status).toBe(400);
    expect((await put('{')).status).toBe(400);
    expect((await put('topics=x', FORM)).status).toBe(415);
    expect(await ledgerLength(addr)).toBe(before);
  });

  it('answers bad tokens with the contract error body: 400 malformed, 403 re-signed or wrong purpose', async () => {
    const addr = uniqueEmail('jsontoken');
    const token = unsubscribeToken(addr);
    const [body = ''] = token.split('.');
    const resigned = `${body}.${Buffer.alloc(32, 1).toString('base64url')}`;
    const wrongPurpose = stack.deps.tokens.sign('status', { b: 'livlog', e: idFor(addr), t: 'newsletter' });
    for (const [t, status] of [
      ['abc', 400],
      [resigned, 403],
      [wrongPurpose, 403],
    ] as const) {
      const res = await stack.app.request(`/v1/preferences/${t}`);
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual({ error: { code: 'invalid-token', message: expect.any(String) } });
    }
  });

  it('lists the JSON routes in the OpenAPI document', async () => {
    const doc = (await (await stack.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/v1/preferences/{token}'] ?? {}).sort()).toEqual(['get', 'put']);
    expect(doc.paths['/v1/subscriptions']?.post).toBeDefined();
    expect(doc.paths['/u/{token}']?.post).toBeDefined();
  });
});

describe('the consent ledger is tamper-evident in the store', () => {
  it('verifies, then catches an event edited directly in DynamoDB, and a removed one', async () => {
    const addr = uniqueEmail('tamper');
    await subscribed(addr, ['newsletter', 'events']);
    await oneClick(unsubscribeToken(addr), 'List-Unsubscribe=One-Click', { 'content-type': FORM });
    const id = idFor(addr);
    const head = async () => (await getSubscriber(stack.deps.db, id))?.ledger ?? { seq: 0, hash: '' };
    expect(verifyLedger(await listLedger(stack.deps.db, id), await head())).toEqual({ ok: true });

    // Someone rewrites history: the one-click event now says it came from the preference page.
    await stack.deps.db.doc.send(
      new UpdateCommand({
        TableName: stack.deps.db.tableName,
        Key: keys.ledgerEvent(id, 3),
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'source' },
        ExpressionAttributeValues: { ':s': 'preference-page' },
      }),
    );
    expect(verifyLedger(await listLedger(stack.deps.db, id), await head())).toEqual({ ok: false, seq: 3, problem: 'content-mismatch' });

    await stack.deps.db.doc.send(new DeleteCommand({ TableName: stack.deps.db.tableName, Key: keys.ledgerEvent(id, 2) }));
    expect(verifyLedger(await listLedger(stack.deps.db, id), await head())).toMatchObject({ ok: false, seq: 3 });
  });
});

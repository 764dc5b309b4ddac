import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erase, suppress } from '../../functions/core/consent';
import { verifyLedger } from '../../functions/core/ledger';
import { CSP } from '../../functions/http/pages/headers';
import { getSubscriber, listLedger, updateSubscriber } from '../../functions/store/subscribers';
import { linkIn, mailsTo, waitForMails } from '../support/inbox';
import { createTestStack, emailIdFor, type TestStack, uniqueEmail } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack();
});
afterAll(() => stack.dispose());

const BASE = 'http://127.0.0.1:3000';
const CLIENT = { incoming: { socket: { remoteAddress: '203.0.113.9' } } };
const idFor = (addr: string) => emailIdFor(stack, addr);

const subscribeJson = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  stack.app.request(
    '/v1/subscriptions',
    { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'test-agent/1', ...headers }, body: JSON.stringify(body) },
    CLIENT,
  );

/** The path of the confirmation link in the latest mail to `addr`. */
async function confirmPath(addr: string, count = 1): Promise<string> {
  const mails = await waitForMails(addr, count);
  const mail = mails[mails.length - 1];
  if (!mail) throw new Error('no confirmation mail');
  const link = linkIn(mail, `${BASE}/confirm/`);
  if (!link) throw new Error('no confirmation link');
  return link.slice(BASE.length);
}

describe('POST /v1/subscriptions (double opt-in)', () => {
  it("stores pending topics, keeps the address on the profile, records the request, and mails a confirmation in the brand's language", async () => {
    const addr = uniqueEmail('sub');
    const res = await subscribeJson({ brand: 'cotogoto', email: addr.toUpperCase(), topics: ['newsletter', 'events'], locale: 'en', source: 'footer-form' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'pending-confirmation' });

    const s = await getSubscriber(stack.deps.db, idFor(addr));
    expect(s?.email).toBe(addr);
    expect(s?.brands.cotogoto?.topics.newsletter?.state).toBe('pending');
    expect(s?.brands.cotogoto?.locale).toBe('en');
    const ledger = await listLedger(stack.deps.db, idFor(addr));
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({
      type: 'subscription-requested',
      source: 'subscription-request',
      ip: '203.0.113.9',
      userAgent: 'test-agent/1',
      policyVersion: stack.deps.config.policyVersion,
      ref: 'footer-form',
      changes: [
        { brand: 'cotogoto', topic: 'newsletter', to: 'pending' },
        { brand: 'cotogoto', topic: 'events', to: 'pending' },
      ],
    });

    const [mail] = await waitForMails(addr);
    expect(mail?.from).toContain('news@cotogoto.ai');
    expect(mail?.subject).toBe('Please confirm your subscription to Cotogoto');
    expect(mail?.body.text).toContain('Newsletter, Events');
    // The token never carries the address.
    const path = await confirmPath(addr);
    const payload = Buffer.from(path.split('/')[2]?.split('.')[0] ?? '', 'base64url').toString('utf8');
    expect(payload).not.toContain(addr);
    expect(JSON.parse(payload)).toMatchObject({ p: 'confirm', b: 'cotogoto', t: ['newsletter', 'events'], l: 'en' });
  });

  it('mails in Japanese by default, and escapes HTML-significant characters of the address in the mail', async () => {
    const addr = `a&b'c.${Date.now()}@example.com`;
    expect((await subscribeJson({ brand: 'livlog', email: addr, topics: ['newsletter'] })).status).toBe(202);
    const [mail] = await waitForMails(addr);
    expect(mail?.subject).toBe('【LivLog】メール配信の確認をお願いします');
    expect(mail?.body.html).toContain('a&#38;b&#39;c.');
    expect(mail?.body.html).not.toContain("a&b'c.");
    expect(mail?.body.text).toContain(addr);
  });

  it('answers the same 202 for unknown, pending and confirmed addresses, and sends no second mail within the window', async () => {
    const addr = uniqueEmail('window');
    const first = await subscribeJson({ brand: 'livlog', email: addr, topics: ['newsletter'] });
    const again = await subscribeJson({ brand: 'livlog', email: addr, topics: ['newsletter'] });
    expect([first.status, again.status]).toEqual([202, 202]);
    expect(await again.json()).toEqual(await first.json());
    await waitForMails(addr, 2, 800);
    expect(await mailsTo(addr)).toHaveLength(1);

    // After the window, a new request mails again.
    stack.clock.advance(11 * 60 * 1000);
    expect((await subscribeJson({ brand: 'livlog', email: addr, topics: ['newsletter'] })).status).toBe(202);
    expect(await waitForMails(addr, 2)).toHaveLength(2);

    // A confirmed address gets the same answer, and nothing downgrades its topics.
    const confirm = await stack.app.request(await confirmPath(addr, 2), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'locale=ja',
    });
    expect(confirm.status).toBe(200);
    stack.clock.advance(11 * 60 * 1000);
    const confirmed = await subscribeJson({ brand: 'livlog', email: addr, topics: ['newsletter'] });
    expect(confirmed.status).toBe(202);
    expect(await confirmed.json()).toEqual({ status: 'pending-confirmation' });
    expect((await getSubscriber(stack.deps.db, idFor(addr)))?.brands.livlog?.topics.newsletter?.state).toBe('subscribed');
  });

  it('answers a bounce-suppressed or erased address the same 202, mailing neither and never reviving the tombstone', async () => {
    const bounced = uniqueEmail('bounced');
    const erased = uniqueEmail('erased');
    const ctx = { at: stack.clock.now(), source: 'ses-feedback' as const };
    await updateSubscriber(stack.deps.db, stack.clock, idFor(bounced), (s) => suppress({ ...s, email: bounced }, '*', 'bounce', ctx));
    await updateSubscriber(stack.deps.db, stack.clock, idFor(erased), (s) => erase({ ...s, email: erased }, { ...ctx, source: 'inquiry' }));
    for (const addr of [bounced, erased]) {
      const res = await subscribeJson({ brand: 'livlog', email: addr, topics: ['newsletter'] });
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ status: 'pending-confirmation' });
    }
    expect((await getSubscriber(stack.deps.db, idFor(bounced)))?.brands.livlog?.topics.newsletter?.state).toBe('pending');
    const tomb = await getSubscriber(stack.deps.db, idFor(erased));
    expect(tomb?.status).toBe('erased');
    expect(tomb?.email).toBeUndefined();
    expect(tomb?.brands).toEqual({});
    await waitForMails(bounced, 1, 800);
    expect(await mailsTo(bounced)).toHaveLength(0);
    expect(await mailsTo(erased)).toHaveLength(0);
  });

  it('a browser form POST gets 303 to a "check your mail" page; a fetch with form data gets the JSON 202', async () => {
    const addr = uniqueEmail('form');
    const form = new URLSearchParams([
      ['brand', 'chroco'],
      ['email', addr],
      ['topics', 'newsletter'],
      ['topics', 'surveys'],
      ['locale', 'en'],
    ]);
    const res = await stack.app.request('/v1/subscriptions', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html,application/xhtml+xml' },
      body: form.toString(),
    });
    expect(res.status).toBe(303);
    const location = res.headers.get('location') ?? '';
    expect(location).toBe('/subscriptions/check-your-mail?brand=chroco&lang=en');
    const page = await stack.app.request(location);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Check your mail');
    expect((await getSubscriber(stack.deps.db, idFor(addr)))?.brands.chroco?.topics.surveys?.state).toBe('pending');

    const fd = new FormData();
    fd.set('brand', 'chroco');
    fd.set('email', uniqueEmail('fetch'));
    fd.append('topics', 'events');
    const viaFetch = await stack.app.request('/v1/subscriptions', { method: 'POST', body: fd });
    expect(viaFetch.status).toBe(202);
    expect(await viaFetch.json()).toEqual({ status: 'pending-confirmation' });
  });

  it('refuses unknown brands and topics and bad addresses with 400 invalid-request and details, storing nothing', async () => {
    const addr = uniqueEmail('bad');
    const brand = await subscribeJson({ brand: 'nope', email: addr, topics: ['newsletter'] });
    expect(brand.status).toBe(400);
    expect(await brand.json()).toMatchObject({ error: { code: 'invalid-request', details: [{ path: 'brand' }] } });
    const topic = await subscribeJson({ brand: 'livlog', email: addr, topics: ['newsletter', '<b>x</b>'] });
    expect(topic.status).toBe(400);
    expect(await topic.json()).toMatchObject({ error: { code: 'invalid-request', details: [{ path: 'topics[1]' }] } });
    const email = await subscribeJson({ brand: 'livlog', email: 'not-an-address', topics: ['newsletter'] });
    expect(await email.json()).toMatchObject({ error: { code: 'invalid-request', details: [{ path: 'email' }] } });
    const missing = await subscribeJson({ brand: 'livlog' });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { details: { path: string }[] } }).error.details.map((d) => d.path).sort()).toEqual(['email', 'topics']);
    expect(await getSubscriber(stack.deps.db, idFor(addr))).toBeUndefined();
  });

  it('answers a browser form with bad fields with the form again, nothing of them unescaped', async () => {
    const res = await stack.app.request('/v1/subscriptions', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ brand: 'livlog', email: uniqueEmail(), topics: '<script>alert(1)</script>' }).toString(),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('text/html');
    const body = await res.text();
    // A topic the brand does not have is not offered again; the message says to choose from the list.
    expect(body).toContain('一覧にあるメールから選んでください。');
    expect(body).not.toContain('<script>');
  });

  it('refuses other media types with 415 and bodies over the limit with 413', async () => {
    const text = await stack.app.request('/v1/subscriptions', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ error: { code: 'unsupported-media-type' } });
    const big = await subscribeJson({ brand: 'livlog', email: uniqueEmail(), topics: ['newsletter'], pad: 'x'.repeat(1024 * 1024) });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: 'payload-too-large' } });
  });
});

describe('GET/HEAD/POST /confirm/{token}', () => {
  it('shows a button on GET and HEAD without changing anything, then confirms on POST with the consent recorded', async () => {
    const addr = uniqueEmail('confirm');
    await subscribeJson({ brand: 'livlog', email: addr, topics: ['newsletter', 'events'] });
    const path = await confirmPath(addr);
    const id = idFor(addr);

    const get = await stack.app.request(path, { headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(get.status).toBe(200);
    expect(get.headers.get('content-security-policy')).toBe(CSP);
    expect(get.headers.get('x-frame-options')).toBe('DENY');
    expect(get.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await get.text();
    // The token's locale (ja, the brand default) beats Accept-Language; ?lang beats both.
    expect(html).toContain('登録を確定する');
    expect(html).toContain(`method="post" action="${path}?lang=ja"`);
    expect(await (await stack.app.request(`${path}?lang=en`)).text()).toContain('Confirm subscription');
    const head = await stack.app.request(path, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await listLedger(stack.deps.db, id)).toHaveLength(1);
    expect((await getSubscriber(stack.deps.db, id))?.brands.livlog?.topics.newsletter?.state).toBe('pending');

    const post = await stack.app.request(
      path,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'browser/2' }, body: 'locale=en' },
      CLIENT,
    );
    expect(post.status).toBe(200);
    const done = await post.text();
    expect(done).toContain('You are subscribed');
    const manage = /href="(\/u\/[^"?]+)\?lang=en"/.exec(done)?.[1];
    expect(manage).toBeTruthy();
    const s = await getSubscriber(stack.deps.db, id);
    expect(s?.brands.livlog?.topics.newsletter?.state).toBe('subscribed');
    const ledger = await listLedger(stack.deps.db, id);
    expect(ledger).toHaveLength(2);
    expect(ledger[1]).toMatchObject({
      type: 'consent-given',
      source: 'confirmation',
      ip: '203.0.113.9',
      userAgent: 'browser/2',
      policyVersion: stack.deps.config.policyVersion,
      wording: expect.stringContaining('I agree to receive emails about the selected topics from LivLog'),
      changes: [
        { brand: 'livlog', topic: 'newsletter', from: 'pending', to: 'subscribed' },
        { brand: 'livlog', topic: 'events', from: 'pending', to: 'subscribed' },
      ],
    });
    expect(s && verifyLedger(ledger, s.ledger)).toEqual({ ok: true });

    // Confirming again changes nothing.
    const again = await stack.app.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(again.status).toBe(200);
    expect(await listLedger(stack.deps.db, id)).toHaveLength(2);
    // The page links to the preference center of that address.
    expect(await (await stack.app.request(`${manage}?lang=en`)).text()).toContain('Subscribed');
  });

  it('answers an expired link with a page offering a new mail (a form to /v1/subscriptions), changing nothing', async () => {
    const addr = uniqueEmail('expired');
    await subscribeJson({ brand: 'livlog', email: addr, topics: ['surveys'], locale: 'en' });
    const path = await confirmPath(addr);
    stack.clock.advance(8 * 24 * 3600 * 1000);
    try {
      for (const method of ['GET', 'POST']) {
        const res = await stack.app.request(path, {
          method,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: method === 'POST' ? '' : null,
        });
        expect(res.status).toBe(410);
        const html = await res.text();
        expect(html).toContain('This link has expired');
        expect(html).toContain('action="/v1/subscriptions"');
        expect(html).toContain('name="topics" value="surveys"');
        expect(html).not.toContain(addr);
      }
      expect((await getSubscriber(stack.deps.db, idFor(addr)))?.brands.livlog?.topics.surveys?.state).toBe('pending');
      expect(await listLedger(stack.deps.db, idFor(addr))).toHaveLength(1);
    } finally {
      stack.clock.advance(-8 * 24 * 3600 * 1000);
    }
  });

  it('refuses malformed (400), re-signed and wrong-purpose (403) tokens with an error page and changes nothing', async () => {
    const addr = uniqueEmail('tamper');
    await subscribeJson({ brand: 'livlog', email: addr, topics: ['newsletter'] });
    const path = await confirmPath(addr);
    const token = path.split('/')[2] ?? '';
    const [body = '', sig = ''] = token.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    const forgedBody = Buffer.from(JSON.stringify({ ...payload, t: ['newsletter', 'promotions'] })).toString('base64url');
    const unsubscribeToken = stack.deps.tokens.sign('unsubscribe', { b: 'livlog', e: idFor(addr), t: 'newsletter' });
    const cases: [string, number][] = [
      [`${token.slice(0, 20)}`, 400],
      [`${forgedBody}.${sig}`, 403],
      [`${body}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`, 403],
      [unsubscribeToken, 403],
    ];
    for (const [t, status] of cases) {
      for (const method of ['GET', 'POST']) {
        const res = await stack.app.request(`/confirm/${t}`, {
          method,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: method === 'POST' ? '' : null,
        });
        expect(res.status, `${method} ${status}`).toBe(status);
        expect(res.headers.get('content-type')).toContain('text/html');
        expect(res.headers.get('content-security-policy')).toBe(CSP);
      }
    }
    const json = await stack.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(415);
    expect((await getSubscriber(stack.deps.db, idFor(addr)))?.brands.livlog?.topics.newsletter?.state).toBe('pending');
    expect(await listLedger(stack.deps.db, idFor(addr))).toHaveLength(1);
  });

  it('follows the link of the mail read from the local SES inbox end to end', async () => {
    const addr = uniqueEmail('inbox');
    await subscribeJson({ brand: 'livlog-xyz', email: addr, topics: ['promotions'], locale: 'en' });
    const [mail] = await waitForMails(addr);
    const link = mail && linkIn(mail, `${BASE}/confirm/`);
    expect(link).toBeTruthy();
    const page = await stack.app.request((link ?? '').slice(BASE.length));
    const action = /<form method="post" action="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const res = await stack.app.request(action.replaceAll('&amp;', '&'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'locale=en',
    });
    expect(res.status).toBe(200);
    expect((await getSubscriber(stack.deps.db, idFor(addr)))?.brands['livlog-xyz']?.topics.promotions?.state).toBe('subscribed');
  });
});

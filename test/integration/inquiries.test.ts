import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkIn, mailsTo } from '../support/inbox';
import { admin, adminJson, BASE, mailWith, pathOf, submit, submitOk, verifyFromMail } from '../support/inquiries';
import { createTestStack, type TestStack, uniqueEmail } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack({ now: '2026-01-31T09:00:00.000Z' });
});
afterAll(() => stack.dispose());

type Inq = {
  reference: string;
  status: string;
  email: string;
  dueAt?: string;
  receivedAt?: string;
  extended: boolean;
  events?: { type: string; by?: string; at: string; note?: string }[];
};

describe('intake: POST /v1/inquiries', () => {
  it('stores the inquiry before answering 202 unverified, and mails a verification link (en)', async () => {
    const email = uniqueEmail('intake');
    const ref = await submitOk(stack, email, 'question', { name: 'Hanako' });
    expect(ref).toMatch(/^INQ-[A-HJ-NP-Z2-9]{10}$/);
    const stored = await adminJson<Inq>(stack, 'GET', `/admin/inquiries/${ref}`);
    expect(stored).toMatchObject({
      reference: ref,
      status: 'unverified',
      email,
      name: 'Hanako',
      type: 'question',
      brand: 'livlog',
      locale: 'en',
      extended: false,
    });
    expect(stored.events?.map((e) => e.type)).toEqual(['submitted']);
    const mail = await mailWith(email, 'confirm the address');
    // Nothing the caller wrote goes to an address not yet verified.
    expect(mail.body.text).toContain('Hello,');
    expect(mail.body.text).not.toContain('Hanako');
    expect(linkIn(mail, `${BASE}/inquiries/verify/`)).toBeTruthy();
  });

  it('a form POST answers 303 to the thank-you page, in Japanese by default', async () => {
    const email = uniqueEmail('form');
    const body = new URLSearchParams({ brand: 'cotogoto', type: 'access', email, name: '', message: 'データを見せてください', website: '' });
    const res = await stack.app.request('/v1/inquiries', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/contact/thanks?brand=cotogoto&lang=ja');
    const thanks = await stack.app.request(res.headers.get('location') as string);
    expect(thanks.status).toBe(200);
    expect(await thanks.text()).toContain('確認メール');
    const mail = await mailWith(email, 'メールアドレスをご確認ください');
    expect(mail.subject).toContain('コトゴト');
    expect(mail.body.text).toContain('お客様');
  });

  it('a filled honeypot gets the same answer, and nothing is stored or sent', async () => {
    const email = uniqueEmail('bot');
    const res = await submit(stack, { brand: 'livlog', type: 'question', email, message: 'buy now', website: 'http://spam.example' });
    expect(res.status).toBe(202);
    const { reference, status } = (await res.json()) as { reference: string; status: string };
    expect(status).toBe('unverified');
    expect(reference).toMatch(/^INQ-/);
    expect((await admin(stack, 'GET', `/admin/inquiries/${reference}`)).status).toBe(404);
    await new Promise((r) => setTimeout(r, 300));
    expect(await mailsTo(email)).toEqual([]);
  });

  it('answers the same whether or not the address is known', async () => {
    const email = uniqueEmail('known');
    await submitOk(stack, email, 'question');
    const again = await submit(stack, { brand: 'livlog', type: 'question', email, message: 'again', locale: 'en' });
    const fresh = await submit(stack, { brand: 'livlog', type: 'question', email: uniqueEmail('fresh'), message: 'again', locale: 'en' });
    expect(again.status).toBe(fresh.status);
    expect(Object.keys((await again.json()) as object)).toEqual(Object.keys((await fresh.json()) as object));
  });

  it('refuses a bad type, address, brand and an oversized message with 400 details; 413 over 1 MB; 415 otherwise', async () => {
    const res = await submit(stack, { brand: 'livlog', type: 'gossip', email: 'x@example.com', message: 'hi' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid-request', details: [{ path: 'type' }] } });

    const bad = await submit(stack, { brand: 'nope', type: 'question', email: 'not-an-address', message: 'hi' });
    expect(bad.status).toBe(400);
    const paths = ((await bad.json()) as { error: { details: { path: string }[] } }).error.details.map((d) => d.path).sort();
    expect(paths).toEqual(['brand', 'email']);

    const long = await submit(stack, { brand: 'livlog', type: 'question', email: uniqueEmail(), message: 'x'.repeat(5001) });
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ error: { details: [{ path: 'message' }] } });

    const huge = await submit(stack, { brand: 'livlog', type: 'question', email: uniqueEmail(), message: 'x'.repeat(1024 * 1024 + 1) });
    expect(huge.status).toBe(413);

    const text = await stack.app.request('/v1/inquiries', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(text.status).toBe(415);
  });

  it('limits the mail to an address to 5 an hour and one more, never its answer: the seventh is stored and answered 202, with no mail', async () => {
    const email = uniqueEmail('limited');
    // The mailbox's 5, and the one more a plain (untagged) address gets (intake-limits.ts).
    for (let i = 0; i < 6; i++) await submitOk(stack, email, 'question');
    const seventh = await submitOk(stack, email, 'question', { message: 'seventh' });
    expect((await adminJson<Inq>(stack, 'GET', `/admin/inquiries/${seventh}`)).status).toBe('unverified');
    await new Promise((r) => setTimeout(r, 300));
    expect((await mailsTo(email)).filter((m) => m.subject.includes('confirm the address'))).toHaveLength(6);
    // The next window mails again.
    stack.clock.advance(3600 * 1000);
    await submitOk(stack, email, 'question', { message: 'later' });
    await mailWith(email, 'confirm the address', 7);
    stack.clock.set('2026-01-31T09:00:00.000Z');
  });

  it('shows no name or message before verification, and escapes them in the mail after it', async () => {
    const email = uniqueEmail('xss');
    const name = '<img src=x onerror=alert(1)>';
    await submitOk(stack, email, 'question', { name, message: '<script>alert("m")</script>' });
    const mail = await mailWith(email, 'confirm the address');
    expect(`${mail.body.text}${mail.body.html}`).not.toContain('img src=x');
    const page = await stack.app.request(pathOf(linkIn(mail, `${BASE}/inquiries/verify/`) as string));
    const html = await page.text();
    for (const s of ['img src=x', 'script&gt;', '<script>alert']) expect(html).not.toContain(s);
    await verifyFromMail(stack, email);
    const ack = await mailWith(email, 'We have received your inquiry');
    expect(ack.body.html).not.toContain('<img src=x');
    expect(ack.body.html).toContain('&#60;img src=x onerror=alert(1)&#62;');
  });
});

describe('GET /contact', () => {
  it('serves the demo form of a brand (ja/en) posting to /v1/inquiries, and 404 for an unknown brand', async () => {
    const en = await stack.app.request('/contact?brand=livlog-xyz&lang=en', { headers: { 'content-type': 'text/html' } });
    expect(en.status).toBe(200);
    expect(en.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await en.text();
    expect(html).toContain('action="/v1/inquiries"');
    expect(html).toContain('name="website"');
    expect(html.match(/<option /g)).toHaveLength(10);
    expect(html).not.toContain('<script');
    const ja = await (await stack.app.request('/contact?brand=livlog-xyz&lang=ja')).text();
    expect(ja).toContain('お問い合わせ');
    expect((await stack.app.request('/contact?brand=nope')).status).toBe(404);
  });
});

describe('verification', () => {
  it('GET shows a button and changes nothing; POST makes it received, due one calendar month later (Jan 31 → Feb 28), and mails the acknowledgement', async () => {
    const email = uniqueEmail('verify');
    const ref = await submitOk(stack, email, 'access');
    const mail = await mailWith(email, 'confirm the address');
    const link = pathOf(linkIn(mail, `${BASE}/inquiries/verify/`) as string);
    for (const method of ['GET', 'HEAD']) expect((await stack.app.request(link, { method })).status).toBe(200);
    expect((await adminJson<Inq>(stack, 'GET', `/admin/inquiries/${ref}`)).status).toBe('unverified');

    const page = await verifyFromMail(stack, email);
    expect(page).toContain(ref);
    expect(page).toContain('28 February 2026');
    const inq = await adminJson<Inq>(stack, 'GET', `/admin/inquiries/${ref}`);
    expect(inq).toMatchObject({ status: 'received', receivedAt: '2026-01-31T09:00:00.000Z', dueAt: '2026-02-28T09:00:00.000Z' });
    expect(inq.events?.map((e) => e.type)).toEqual(['submitted', 'verified']);

    const ack = await mailWith(email, 'We have received your inquiry');
    expect(ack.body.text).toContain(ref);
    expect(ack.body.text).toContain('Due date: 2026-02-28');
    const status = await stack.app.request(pathOf(linkIn(ack, `${BASE}/inquiries/status/`) as string));
    expect(status.status).toBe(200);
    const html = await status.text();
    for (const s of [ref, 'Access to my data', '31 January 2026', '28 February 2026', 'Received']) expect(html).toContain(s);

    // A second POST changes nothing and sends nothing more.
    await stack.app.request(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect((await mailsTo(email)).filter((m) => m.subject.includes('We have received'))).toHaveLength(1);
  });

  it('in a leap year, Jan 31 is due Feb 29', async () => {
    stack.clock.set('2028-01-31T23:30:00.000Z');
    const email = uniqueEmail('leap');
    const ref = await submitOk(stack, email, 'question');
    await verifyFromMail(stack, email);
    expect((await adminJson<Inq>(stack, 'GET', `/admin/inquiries/${ref}`)).dueAt).toBe('2028-02-29T23:30:00.000Z');
    stack.clock.set('2026-01-31T09:00:00.000Z');
  });

  it('a tampered link gets a page, not a verification', async () => {
    const email = uniqueEmail('tamper');
    const ref = await submitOk(stack, email, 'question');
    const link = pathOf(linkIn(await mailWith(email, 'confirm the address'), `${BASE}/inquiries/verify/`) as string);
    const last = link.at(-1) === 'A' ? 'B' : 'A';
    const res = await stack.app.request(`${link.slice(0, -1)}${last}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect((await adminJson<Inq>(stack, 'GET', `/admin/inquiries/${ref}`)).status).toBe('unverified');
  });
});

describe('the privacy officer', () => {
  async function received(type = 'question', brand = 'livlog'): Promise<{ ref: string; email: string }> {
    const email = uniqueEmail('officer');
    const ref = await submitOk(stack, email, type as 'question', { brand });
    await verifyFromMail(stack, email);
    return { ref, email };
  }

  it('needs the admin token', async () => {
    const res = await stack.app.request('/admin/inquiries', { headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(401);
  });

  it('moves received → in-progress → completed with an event each (who, when), and answers 409 invalid-transition after', async () => {
    const { ref, email } = await received();
    await adminJson(stack, 'POST', `/admin/inquiries/${ref}/transitions`, { to: 'in-progress', note: 'looking' });
    stack.clock.advance(60_000);
    const done = await adminJson<Inq>(stack, 'POST', `/admin/inquiries/${ref}/transitions`, { to: 'completed', note: 'Answered by phone' });
    expect(done.status).toBe('completed');
    const again = await admin(stack, 'POST', `/admin/inquiries/${ref}/transitions`, { to: 'in-progress' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'invalid-transition' } });
    const inq = await adminJson<Inq>(stack, 'GET', `/admin/inquiries/${ref}`);
    expect(inq.events?.map((e) => [e.type, e.by])).toEqual([
      ['submitted', undefined],
      ['verified', undefined],
      ['in-progress', 'admin'],
      ['completed', 'admin'],
    ]);
    expect(inq.events?.[3]?.at).toBe('2026-01-31T09:01:00.000Z');
    expect((await mailWith(email, 'is completed')).body.text).toContain('Answered by phone');
    stack.clock.set('2026-01-31T09:00:00.000Z');
  });

  it('refuses officer steps on an unverified inquiry (409) and an unknown reference (404)', async () => {
    const ref = await submitOk(stack, uniqueEmail(), 'question');
    expect((await admin(stack, 'POST', `/admin/inquiries/${ref}/transitions`, { to: 'completed' })).status).toBe(409);
    expect((await admin(stack, 'POST', '/admin/inquiries/INQ-ZZZZZZZZZZ/transitions', { to: 'completed' })).status).toBe(404);
    expect((await admin(stack, 'GET', '/admin/inquiries/INQ-ZZZZZZZZZZ')).status).toBe(404);
  });

  it('extends once by two more calendar months with the reason mailed; the second time is 409', async () => {
    const { ref, email } = await received('access');
    const noReason = await admin(stack, 'POST', `/admin/inquiries/${ref}/transitions`, { to: 'extended' });
    expect(noReason.status).toBe(400);
    const ext = await adminJson<Inq>(stack, 'POST', `/admin/inquiries/${ref}/transitions`, { to: 'extended', reason: 'Records <span> across four sites' });
    expect(ext).toMatchObject({ extended: true, status: 'received', dueAt: '2026-04-30T09:00:00.000Z' });
    const mail = await mailWith(email, 'We need more time');
    expect(mail.body.text).toContain('Records <span> across four sites');
    expect(mail.body.html).toContain('Records &#60;span&#62; across four sites');
    expect(mail.body.text).toContain('2026-04-30');
    const second = await admin(stack, 'POST', `/admin/inquiries/${ref}/transitions`, { to: 'extended', reason: 'again' });
    expect(second.status).toBe(409);
    const status = await stack.app.request(pathOf(linkIn(mail, `${BASE}/inquiries/status/`) as string));
    expect(await status.text()).toContain('(extended)');
  });

  it('rejects with the reason and the right to complain to a supervisory authority', async () => {
    const { ref, email } = await received('erasure');
    const rej = await adminJson<Inq>(stack, 'POST', `/admin/inquiries/${ref}/transitions`, { to: 'rejected', reason: 'We hold no data under this address.' });
    expect(rej.status).toBe('rejected');
    const mail = await mailWith(email, 'About your inquiry');
    expect(mail.body.text).toContain('We hold no data under this address.');
    expect(mail.body.text).toContain('supervisory authority');
    expect(mail.body.text).toContain('Personal Information Protection Commission');
  });

  it('lists by status and brand, soonest due first, paged with an opaque cursor', async () => {
    const list = await createTestStack({ now: '2026-03-01T00:00:00.000Z' });
    try {
      const refs: string[] = [];
      // Received on different days, so due on different days: Mar 5 .. Mar 1 → Apr 5 .. Apr 1.
      for (const day of [5, 3, 1, 4, 2]) {
        list.clock.set(`2026-03-0${day}T00:00:00.000Z`);
        const email = uniqueEmail('list');
        refs.push(await submitOk(list, email, 'question', { brand: day === 4 ? 'chroco' : 'livlog' }));
        await verifyFromMail(list, email);
      }
      await submitOk(list, uniqueEmail('list'), 'question');
      await adminJson(list, 'POST', `/admin/inquiries/${refs[1]}/transitions`, { to: 'in-progress' });

      const all: Inq[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: Inq[]; cursor: string | null } = await adminJson(list, 'GET', `/admin/inquiries?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(2);
        all.push(...page.items);
        cursor = page.cursor;
      } while (cursor);
      expect(all.map((i) => i.dueAt?.slice(0, 10))).toEqual(['2026-04-01', '2026-04-02', '2026-04-03', '2026-04-04', '2026-04-05']);
      expect(all.find((i) => i.reference === refs[1])?.status).toBe('in-progress');

      const byBrand = await adminJson<{ items: Inq[] }>(list, 'GET', '/admin/inquiries?brand=chroco');
      expect(byBrand.items.map((i) => i.reference)).toEqual([refs[3]]);
      const unverified = await adminJson<{ items: Inq[] }>(list, 'GET', '/admin/inquiries?status=unverified');
      expect(unverified.items).toHaveLength(1);
      const soon = await adminJson<{ items: Inq[] }>(list, 'GET', '/admin/inquiries?dueBefore=2026-04-03T00:00:00Z');
      expect(soon.items.map((i) => i.dueAt?.slice(0, 10))).toEqual(['2026-04-01', '2026-04-02']);

      const bad = await admin(list, 'GET', '/admin/inquiries?cursor=not-a-cursor');
      expect(bad.status).toBe(400);
      const first = await adminJson<{ cursor: string }>(list, 'GET', '/admin/inquiries?limit=2');
      expect((await admin(list, 'GET', `/admin/inquiries?limit=2&brand=livlog&cursor=${first.cursor}`)).status).toBe(400);
    } finally {
      await list.dispose();
    }
  });
});

describe('a contact form submission that fails validation, from a browser', () => {
  it('gets an HTML page naming the bad fields, with the same 400, while JSON clients keep the JSON body', async () => {
    const s = await createTestStack();
    try {
      const res = await s.app.request('/v1/inquiries', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html,application/xhtml+xml', 'accept-language': 'en' },
        body: new URLSearchParams({ brand: 'livlog', type: 'not-a-type', email: 'x@example.com', message: '<b>hi</b>', website: '' }).toString(),
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('text/html');
      const html = await res.text();
      expect(html).toContain('type');
      expect(html).not.toContain('<b>hi</b>');
      const json = await s.app.request('/v1/inquiries', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ brand: 'livlog', type: 'not-a-type', email: 'x@example.com', message: 'hi' }),
      });
      expect(json.status).toBe(400);
      expect(await json.json()).toMatchObject({ error: { code: 'invalid-request' } });
    } finally {
      await s.dispose();
    }
  });
});

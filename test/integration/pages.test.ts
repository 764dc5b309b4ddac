import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, submitOk } from '../support/inquiries';
import { createTestStack, emailIdFor, type TestStack, uniqueEmail } from '../support/stack';

/**
 * The pages people reach by mistake (CONTRACT.md "Errors", last paragraph), through
 * `createApp(deps).request()`: a form with bad fields shown again, HTML 404s, error pages with the
 * brand and a way on, the unsubscribe-all notice, dates as each language writes them.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack({ now: '2026-11-29T09:00:00.000Z' });
});
afterAll(() => stack.dispose());

const PAGE = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
const form = (fields: [string, string][]) => new URLSearchParams(fields).toString();
const idFor = (addr: string) => emailIdFor(stack, addr);
/** The href of every link in the page, `&amp;` read as `&`. */
const hrefs = (html: string) => [...html.matchAll(/<a [^>]*href="([^"]+)"/g)].map((m) => (m[1] ?? '').replaceAll('&amp;', '&'));

describe('a browser form with bad fields is shown again', () => {
  it('POST /v1/subscriptions: the same form, what was typed, a Japanese message beside the field and a summary linking to it; 400', async () => {
    const res = await stack.app.request('/v1/subscriptions', {
      method: 'POST',
      headers: PAGE,
      body: form([
        ['brand', 'cotogoto'],
        ['email', 'taro@example'],
        ['topics', 'newsletter'],
        ['topics', 'events'],
        ['locale', 'ja'],
        ['source', 'footer-form'],
      ]),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain('コトゴト');
    expect(html).toMatch(/<form method="post" action="\/v1\/subscriptions"/);
    expect(html).toMatch(/<input[^>]*name="email"[^>]*value="taro@example"/);
    expect(html).toMatch(/<input[^>]*value="newsletter"[^>]*checked/);
    expect(html).toMatch(/<input[^>]*value="events"[^>]*checked/);
    expect(html).not.toMatch(/<input[^>]*value="promotions"[^>]*checked/);
    expect(html).toMatch(/<input type="hidden" name="source" value="footer-form"/);
    const message = 'メールアドレスを name@example.com のような形で入力してください。';
    // Beside the field (tied to it for screen readers), and in the summary as a link to it.
    expect(html).toMatch(new RegExp(`<p id="email-error" class="field-message">.*${message}</p>`));
    expect(html).toMatch(/aria-describedby="email-error"/);
    expect(html).toMatch(new RegExp(`class="error-summary"[\\s\\S]*<a href="#email">${message}</a>`));
    expect(html).not.toContain('invalid-domain');
    expect(html).not.toContain('email:');
  });

  it('POST /v1/inquiries: the contact form again with the type chosen, the name and the message kept (line breaks too), in English', async () => {
    const res = await stack.app.request('/v1/inquiries', {
      method: 'POST',
      headers: PAGE,
      body: form([
        ['brand', 'chroco'],
        ['locale', 'en'],
        ['type', 'erasure'],
        ['email', 'taro@example'],
        ['name', 'Ken <b>Sato</b>'],
        ['message', 'First line\nsecond line'],
        ['website', ''],
      ]),
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/<form method="post" action="\/v1\/inquiries"/);
    expect(html).toMatch(/<option value="erasure" selected/);
    expect(html).toMatch(/<input[^>]*name="email"[^>]*value="taro@example"/);
    expect(html).toMatch(/<input[^>]*name="name"[^>]*value="Ken &lt;b&gt;Sato&lt;\/b&gt;"/);
    expect(html).toMatch(/<textarea[^>]*>First line\nsecond line<\/textarea>/);
    expect(html).toContain('<a href="#email">Enter an email address in the correct format, like name@example.com.</a>');
    expect(html).toContain('<input type="hidden" name="brand" value="chroco"');
  });

  it('names each bad field once, in the order of the form, with the message for what is wrong (missing, too long)', async () => {
    const res = await stack.app.request('/v1/inquiries', {
      method: 'POST',
      headers: PAGE,
      body: form([
        ['brand', 'livlog'],
        ['locale', 'en'],
        ['type', 'no-such-type'],
        ['email', ''],
        ['name', 'x'.repeat(201)],
        ['message', ''],
        ['website', ''],
      ]),
    });
    expect(res.status).toBe(400);
    const summary = /class="error-summary"[\s\S]*?<\/ul>/.exec(await res.text())?.[0] ?? '';
    expect([...summary.matchAll(/<a href="#([a-z]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]])).toEqual([
      ['type', 'Choose what your inquiry is about.'],
      ['email', 'Enter your email address.'],
      ['name', 'Your name must be 200 characters or fewer.'],
      ['message', 'Enter your message.'],
    ]);
  });

  it('an unknown brand in the form: a choice of the sites beside the field', async () => {
    const res = await stack.app.request('/v1/subscriptions', {
      method: 'POST',
      headers: PAGE,
      body: form([
        ['brand', 'nope'],
        ['email', 'hanako@example.com'],
        ['topics', 'newsletter'],
        ['locale', 'en'],
      ]),
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('<a href="#brand">Choose a site.</a>');
    expect(html).toMatch(/<select id="brand" name="brand"[^>]*aria-invalid="true"/);
    expect(html).toMatch(/<input[^>]*name="email"[^>]*value="hanako@example.com"/);
  });
});

describe('an unknown path', () => {
  it('asked for as HTML gets a 404 page with a way on; with ?brand= the page is in the look of that brand', async () => {
    const plain = await stack.app.request('/no/such/page', { headers: { accept: 'text/html', 'accept-language': 'en' } });
    expect(plain.status).toBe(404);
    expect(plain.headers.get('content-type')).toContain('text/html');
    const html = await plain.text();
    expect(html).toContain('Page not found');
    // No brand named: the way on is each site.
    expect(hrefs(html)).toEqual(expect.arrayContaining(['https://livlog.jp', 'https://livlog.xyz', 'https://cotogoto.ai', 'https://chroco.ooo']));

    const branded = await (await stack.app.request('/no/such/page?brand=cotogoto', { headers: { accept: 'text/html', 'accept-language': 'ja' } })).text();
    expect(branded).toContain('<strong>コトゴト</strong>');
    expect(branded).toContain('ページが見つかりません');
    expect(hrefs(branded)).toEqual(expect.arrayContaining(['https://cotogoto.ai', '/contact?brand=cotogoto&lang=ja']));
  });

  it('asked for by a JSON client still gets the JSON 404', async () => {
    const res = await stack.app.request('/no/such/page', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not-found', message: 'There is nothing here.' } });
    expect((await stack.app.request('/v1/nothing')).headers.get('content-type')).toContain('application/json');
  });
});

describe('every error page shows the brand the request names, and a way on', () => {
  it('a bad preference form names the brand of its (valid) token', async () => {
    const token = stack.deps.tokens.sign('unsubscribe', { b: 'chroco', e: idFor(uniqueEmail('brand')), t: 'newsletter' });
    const res = await stack.app.request(`/u/${token}/preferences?lang=en`, { method: 'POST', headers: PAGE, body: 'action=bogus' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('<strong>Chroco</strong>');
    expect(hrefs(html)).toEqual(expect.arrayContaining(['https://chroco.ooo', '/contact?brand=chroco&lang=en', `/u/${token}?lang=en`]));
  });

  it('a bad link names no brand (nothing in it can be trusted) and offers every site', async () => {
    const res = await stack.app.request('/u/not-a-token', { headers: { accept: 'text/html', 'accept-language': 'en' } });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('This link is not valid. Open the link from the email exactly as it is.');
    expect(hrefs(html)).toEqual(expect.arrayContaining(['https://livlog.jp', 'https://chroco.ooo']));
  });

  it('an unknown site on the contact form says so and offers the sites there are', async () => {
    const res = await stack.app.request('/contact?brand=nope&lang=en');
    expect(res.status).toBe(404);
    expect(hrefs(await res.text())).toEqual(expect.arrayContaining(['https://livlog.jp', 'https://cotogoto.ai']));
  });

  it('an inquiry link of the wrong kind answers with the same sentence as every other bad link', async () => {
    const res = await stack.app.request(`/inquiries/status/${stack.deps.tokens.sign('verify', { r: 'INQ-AAAAAAAAAA' })}?lang=en`);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('This link is not valid. Open the link from the email exactly as it is.');
  });
});

describe('after "unsubscribe from everything"', () => {
  it('the page says plainly that all marketing mail of this brand has stopped', async () => {
    const addr = uniqueEmail('all');
    const sub = await stack.app.request('/v1/subscriptions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ brand: 'livlog', email: addr, topics: ['newsletter', 'events'] }),
    });
    expect(sub.status).toBe(202);
    const confirm = stack.deps.tokens.sign('confirm', { b: 'livlog', e: idFor(addr), t: ['newsletter', 'events'], l: 'en' });
    expect((await stack.app.request(`/confirm/${confirm}`, { method: 'POST', headers: PAGE, body: '' })).status).toBe(200);
    const token = stack.deps.tokens.sign('unsubscribe', { b: 'livlog', e: idFor(addr), t: 'newsletter' });

    const saved = await stack.app.request(`/u/${token}/preferences?lang=en`, { method: 'POST', headers: PAGE, body: 'action=unsubscribe-all' });
    expect(saved.status).toBe(303);
    const en = await (await stack.app.request(saved.headers.get('location') ?? '')).text();
    expect(en).toContain('All marketing email from LivLog has stopped.');
    const ja = await (await stack.app.request((saved.headers.get('location') ?? '').replace('lang=en', 'lang=ja'))).text();
    expect(ja).toContain('LivLogからの配信メールは、すべて停止しました。');
  });

  it('a save that keeps a topic says only that it saved', async () => {
    const addr = uniqueEmail('kept');
    await stack.app.request('/v1/subscriptions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ brand: 'livlog', email: addr, topics: ['events'] }),
    });
    const kept = stack.deps.tokens.sign('unsubscribe', { b: 'livlog', e: idFor(addr), t: 'events' });
    const keptPage = await (await stack.app.request(`/u/${kept}?saved=1&lang=en`)).text();
    expect(keptPage).toContain('Your choices have been saved.');
    expect(keptPage).not.toContain('has stopped');
  });
});

describe('dates on pages', () => {
  it('are written 2026年12月29日 on Japanese pages and 29 December 2026 on English ones', async () => {
    const ref = await submitOk(stack, uniqueEmail('dates'), 'question');
    const verify = stack.deps.tokens.sign('verify', { r: ref });
    const verified = await stack.app.request(`/inquiries/verify/${verify}?lang=ja`, { method: 'POST', headers: PAGE, body: '' });
    expect(verified.status).toBe(200);
    expect(await verified.text()).toContain('2026年12月29日');
    const status = `/inquiries/status/${stack.deps.tokens.sign('status', { r: ref })}`;
    const ja = await (await stack.app.request(`${status}?lang=ja`)).text();
    expect(ja).toContain('2026年11月29日');
    expect(ja).toContain('2026年12月29日');
    const en = await (await stack.app.request(`${status}?lang=en`)).text();
    expect(en).toContain('29 November 2026');
    expect(en).toContain('29 December 2026');
    expect(en).not.toContain('2026-12-29');
  });

  it('the rejection reason keeps its line breaks on the status page', async () => {
    const ref = await submitOk(stack, uniqueEmail('reason'), 'access');
    await stack.app.request(`/inquiries/verify/${stack.deps.tokens.sign('verify', { r: ref })}`, { method: 'POST', headers: PAGE, body: '' });
    const rejected = await admin(stack, 'POST', `/admin/inquiries/${ref}/transitions`, {
      to: 'rejected',
      reason: 'We cannot confirm who you are.\nPlease write from the address.',
    });
    expect(rejected.status).toBe(200);
    const page = await (await stack.app.request(`/inquiries/status/${stack.deps.tokens.sign('status', { r: ref })}?lang=en`)).text();
    expect(page).toMatch(/<dd class="typed">We cannot confirm who you are.\nPlease write from the address.<\/dd>/);
  });
});

describe('GET /docs', () => {
  it("shows each request body's fields, with the $refs resolved", async () => {
    const html = await (await stack.app.request('/docs')).text();
    expect(html).not.toContain('$ref');
    const inquiry = /<code>POST<\/code> <code>\/v1\/inquiries<\/code>[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    for (const field of ['brand', 'type', 'email', 'name', 'message', 'locale', 'website']) expect(inquiry).toContain(`<code>${field}</code>`);
    expect(inquiry).toContain('Honeypot: leave empty.');
    expect(inquiry).toContain('complaint');
    const sends = /<code>POST<\/code> <code>\/v1\/sends<\/code>[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(sends).toContain('<code>recipients[].email</code>');
  });
});

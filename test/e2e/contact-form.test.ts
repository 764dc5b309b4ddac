import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bin/local/processes';
import { launchChromium } from '../support/browser';
import { linkIn } from '../support/inbox';
import { adminJson, mailWith } from '../support/inquiries';
import { type Served, serveOnLoopback } from '../support/serve';
import { createTestStack, type TestStack, uniqueEmail } from '../support/stack';

/** The demo contact form as a person uses it: headless Chromium, no JavaScript of ours, a real HTTP server. */
let stack: TestStack;
let served: Served | undefined;
let browser: Browser;
let base: string;

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  stack = await createTestStack({ config: { PUBLIC_BASE_URL: base } });
  served = await serveOnLoopback(stack.app.fetch, port);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
  await stack?.dispose();
});

describe('GET /contact in headless Chromium', () => {
  it('submits the form, lands on the thank-you page, stores the inquiry and mails the verification link, which verifies from the browser', async () => {
    const page = await browser.newPage({ javaScriptEnabled: false });
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      // (The browser's own /favicon.ico request is a 404 by design: there is none.)
      if (m.text().includes('Content Security Policy')) cspErrors.push(m.text());
    });
    await page.goto(`${base}/contact?brand=chroco&lang=en`);
    expect(await page.title()).toContain('Chroco');
    // Every field has a label; the honeypot is there but hidden from people.
    for (const id of ['type', 'email', 'name', 'message']) expect(await page.locator(`label[for="${id}"]`).count()).toBe(1);
    expect(await page.locator('select#type option').count()).toBe(10);
    const hp = await page.locator('.hp input[name="website"]').boundingBox();
    expect((hp?.x ?? 0) + (hp?.width ?? 0)).toBeLessThan(0);
    expect(await page.getAttribute('.hp', 'aria-hidden')).toBe('true');

    const email = uniqueEmail('browser');
    await page.selectOption('select#type', 'portability');
    await page.fill('#email', email);
    await page.fill('#name', 'Ken <b>Sato</b>');
    await page.fill('#message', 'Please send me my data.');
    await Promise.all([page.waitForURL(/\/contact\/thanks/), page.click('button[type="submit"]')]);
    expect(page.url()).toBe(`${base}/contact/thanks?brand=chroco&lang=en`);
    expect(await page.locator('h1').textContent()).toContain('Thank you');

    const mail = await mailWith(email, 'confirm the address');
    // Sent to an address not yet verified, so nothing the form's sender wrote is in it.
    expect(`${mail.body.text}${mail.body.html}`).not.toContain('Sato');
    const link = linkIn(mail, `${base}/inquiries/verify/`) as string;
    const listed = await adminJson<{ items: { reference: string; email: string; type: string; brand: string }[] }>(
      stack,
      'GET',
      '/admin/inquiries?status=unverified',
    );
    expect(listed.items.find((i) => i.email === email)).toMatchObject({ type: 'portability', brand: 'chroco' });

    await page.goto(link);
    expect(await page.textContent('ul.card')).toContain('Data portability');
    expect(await page.textContent('body')).not.toContain('Please send me my data.');
    await Promise.all([page.waitForLoadState('load'), page.click('button[type="submit"]')]);
    await page.waitForSelector('dl.card');
    expect(await page.textContent('dl.card')).toMatch(/INQ-[A-HJ-NP-Z2-9]{10}/);
    expect(cspErrors, cspErrors.join('\n')).toEqual([]);
    await page.close();
  });

  it("serves the form in the browser's language when it is Japanese", async () => {
    const page = await browser.newPage({ javaScriptEnabled: false, locale: 'ja-JP' });
    await page.goto(`${base}/contact?brand=livlog`);
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    expect(await page.locator('button[type="submit"]').textContent()).toBe('送信する');
    await page.close();
  });
});

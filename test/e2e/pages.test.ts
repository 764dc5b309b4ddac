import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { admin, submitOk } from '../support/inquiries';
import { type Served, serveOnLoopback } from '../support/serve';
import { createTestStack, emailIdFor, type TestStack, uniqueEmail } from '../support/stack';

/**
 * The pages people reach by mistake, as a person meets them: headless Chromium without JavaScript,
 * over real HTTP, at a phone's width where it matters.
 */
let stack: TestStack;
let served: Served | undefined;
let browser: Browser;
let base: string;

beforeAll(async () => {
  stack = await createTestStack({ now: '2026-11-29T09:00:00.000Z' });
  served = await serveOnLoopback(stack.app.fetch);
  base = served.base;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
  await stack?.dispose();
});

const idFor = (addr: string) => emailIdFor(stack, addr);

// Run in the page; the tests' tsconfig has no DOM types.
type Doc = { documentElement: { scrollWidth: number }; getElementById(id: string): { tagName: string } | null };
const scrollWidth = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: Doc }).document.documentElement.scrollWidth);
const phone = { viewport: { width: 375, height: 740 }, javaScriptEnabled: false } as const;

/** Submits the page's form and waits for the answer to its POST. */
async function submitForm(page: Page, path: string) {
  const [res] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === path && r.request().method() === 'POST'),
    page.click('form button[type="submit"]'),
  ]);
  await page.waitForLoadState('load');
  return res;
}

describe('a form with a bad field, in Chromium', () => {
  it('the contact form comes back in Japanese with what was typed, the message beside the field, a summary linking to it, and no sideways scroll; fixed, it goes through', async () => {
    const context = await browser.newContext({ ...phone, locale: 'ja-JP' });
    const page = await context.newPage();
    try {
      await page.goto(`${base}/contact?brand=cotogoto`);
      await page.selectOption('select#type', 'erasure');
      // A browser takes `taro@example` as an address; the server does not (no dot in the domain).
      await page.fill('#email', 'taro@example');
      await page.fill('#name', '佐藤 健');
      await page.fill('#message', '一行目\n二行目');
      const res = await submitForm(page, '/v1/inquiries');
      expect(res.status()).toBe(400);

      expect(await page.title()).toContain('エラー');
      const summary = page.locator('.error-summary');
      expect(await summary.getAttribute('role')).toBe('alert');
      const link = summary.locator('a');
      expect(await link.count()).toBe(1);
      expect(await link.textContent()).toBe('メールアドレスを name@example.com のような形で入力してください。');
      const target = ((await link.getAttribute('href')) ?? '').slice(1);
      expect(await page.evaluate((id) => (globalThis as unknown as { document: Doc }).document.getElementById(id)?.tagName, target)).toBe('INPUT');
      expect(await page.locator('#email-error').isVisible()).toBe(true);
      expect(await page.inputValue('#email')).toBe('taro@example');
      expect(await page.inputValue('#name')).toBe('佐藤 健');
      expect(await page.inputValue('#message')).toBe('一行目\n二行目');
      expect(await page.inputValue('select#type')).toBe('erasure');
      expect(await scrollWidth(page)).toBeLessThanOrEqual(375);

      await page.fill('#email', uniqueEmail('fixed'));
      const again = await submitForm(page, '/v1/inquiries');
      expect(again.status()).toBe(303);
      expect(page.url()).toContain('/contact/thanks?brand=cotogoto&lang=ja');
    } finally {
      await context.close();
    }
  });

  it('the form of an expired confirmation link comes back with the address typed and the message beside it, in English', async () => {
    const addr = uniqueEmail('expired');
    const expired = stack.deps.tokens.sign('confirm', { b: 'chroco', e: idFor(addr), t: ['newsletter'], l: 'en' }, -60);
    const context = await browser.newContext({ ...phone, locale: 'en-GB' });
    const page = await context.newPage();
    try {
      await page.goto(`${base}/confirm/${expired}`);
      await page.fill('#email', 'taro@example');
      const res = await submitForm(page, '/v1/subscriptions');
      expect(res.status()).toBe(400);
      expect(await page.locator('.error-summary a').textContent()).toBe('Enter an email address in the correct format, like name@example.com.');
      expect(await page.inputValue('#email')).toBe('taro@example');
      expect(await page.locator('header.site').textContent()).toContain('Chroco');
      expect(await page.isChecked('input[name="topics"][value="newsletter"]')).toBe(true);
      expect(await scrollWidth(page)).toBeLessThanOrEqual(375);

      await page.fill('#email', addr);
      const again = await submitForm(page, '/v1/subscriptions');
      expect(again.status()).toBe(303);
      expect(page.url()).toContain('/subscriptions/check-your-mail');
    } finally {
      await context.close();
    }
  });
});

describe('other pages reached by mistake, in Chromium', () => {
  it('an unknown path is a 404 page with a way on, not JSON', async () => {
    const context = await browser.newContext({ ...phone, locale: 'ja-JP' });
    const page = await context.newPage();
    try {
      const res = await page.goto(`${base}/no/such/page?brand=livlog-xyz`);
      expect(res?.status()).toBe(404);
      expect(res?.headers()['content-type']).toContain('text/html');
      expect(await page.locator('h1').textContent()).toBe('ページが見つかりません');
      expect(await page.locator('main a[href="https://livlog.xyz"]').count()).toBeGreaterThan(0);
      expect(await scrollWidth(page)).toBeLessThanOrEqual(375);
    } finally {
      await context.close();
    }
  });

  it("a typed rejection reason keeps its line breaks on the requester's status page", async () => {
    const ref = await submitOk(stack, uniqueEmail('lines'), 'access');
    await stack.app.request(`/inquiries/verify/${stack.deps.tokens.sign('verify', { r: ref })}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    const rejected = await admin(stack, 'POST', `/admin/inquiries/${ref}/transitions`, { to: 'rejected', reason: 'First reason.\nSecond reason.' });
    expect(rejected.status).toBe(200);
    const context = await browser.newContext({ ...phone, locale: 'en-GB' });
    const page = await context.newPage();
    try {
      await page.goto(`${base}/inquiries/status/${stack.deps.tokens.sign('status', { r: ref })}`);
      // The rendered text, not the DOM's: only CSS decides whether a line break shows.
      // biome-ignore lint/performance/useDomNodeTextContent: what is on the screen is the point
      expect(await page.locator('dd.typed').innerText()).toBe('First reason.\nSecond reason.');
      expect(await page.locator('dl.card').textContent()).toContain('29 December 2026');
    } finally {
      await context.close();
    }
  });

  it('"unsubscribe from everything" ends on a page saying that all marketing mail of the brand has stopped', async () => {
    const token = stack.deps.tokens.sign('unsubscribe', { b: 'cotogoto', e: idFor(uniqueEmail('everything')), t: 'newsletter' });
    const context = await browser.newContext({ ...phone, locale: 'ja-JP' });
    const page = await context.newPage();
    try {
      await page.goto(`${base}/u/${token}`);
      await Promise.all([page.waitForURL(/saved=1/), page.click('button[value="unsubscribe-all"]')]);
      expect(await page.getByRole('status').textContent()).toContain('コトゴトからの配信メールは、すべて停止しました。');
    } finally {
      await context.close();
    }
  });

  it('GET /docs lists the fields of the request bodies and does not scroll sideways at 375 px', async () => {
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    try {
      await page.goto(`${base}/docs`);
      expect(await page.locator('body').textContent()).not.toContain('$ref');
      expect(await page.locator('section:has(h2:has-text("/v1/sends/filter")) code', { hasText: 'recipients' }).count()).toBeGreaterThan(0);
      expect(await scrollWidth(page)).toBeLessThanOrEqual(375);
    } finally {
      await context.close();
    }
  });
});

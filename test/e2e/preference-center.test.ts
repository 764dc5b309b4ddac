import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSubscriber, listLedger } from '../../functions/store/subscribers';
import { launchChromium } from '../support/browser';
import { type Served, serveOnLoopback } from '../support/serve';
import { createTestStack, emailIdFor, type TestStack, uniqueEmail } from '../support/stack';

/** The preference center as a person uses it: served over HTTP, in headless Chromium. */
let stack: TestStack;
let served: Served | undefined;
let browser: Browser;
let base: string;

beforeAll(async () => {
  stack = await createTestStack();
  served = await serveOnLoopback(stack.app.fetch);
  base = served.base;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
  await stack?.dispose();
});

const idFor = (addr: string) => emailIdFor(stack, addr);

describe('preference center in Chromium', () => {
  it('loads the page, unticks a topic with the keyboard, saves, shows the saved notice, and the store changed', async () => {
    const addr = uniqueEmail('e2e');
    const sub = await stack.app.request('/v1/subscriptions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ brand: 'livlog', email: addr, topics: ['newsletter', 'events'], locale: 'en' }),
    });
    expect(sub.status).toBe(202);
    const confirm = stack.deps.tokens.sign('confirm', { b: 'livlog', e: idFor(addr), t: ['newsletter', 'events'], l: 'en' });
    expect(
      (await stack.app.request(`/confirm/${confirm}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' })).status,
    ).toBe(200);
    const token = stack.deps.tokens.sign('unsubscribe', { b: 'livlog', e: idFor(addr), t: 'newsletter' });

    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const problems: string[] = [];
    // CSP violations are console errors; a failed sub-resource is a response >= 400. The
    // browser's own favicon probe is not the page's.
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`);
    });
    try {
      const res = await page.goto(`${base}/u/${token}`);
      expect(res?.status()).toBe(200);
      await expect(page.title()).resolves.toContain('Email preferences');
      // The stylesheet loaded under the CSP (no inline styles needed).
      // (Runs in the page; the test's tsconfig has no DOM types, hence the cast.)
      type View = { getComputedStyle(el: unknown): { backgroundColor: string } };
      const headerBg = await page.locator('header.site').evaluate((el) => (globalThis as unknown as View).getComputedStyle(el).backgroundColor);
      expect(headerBg).toBe('rgb(31, 58, 95)');

      const events = page.getByRole('checkbox', { name: /Events/ });
      const newsletter = page.getByRole('checkbox', { name: /Newsletter/ });
      await expect(events.isChecked()).resolves.toBe(true);
      await expect(newsletter.isChecked()).resolves.toBe(true);
      await events.focus();
      await page.keyboard.press('Space');
      await expect(events.isChecked()).resolves.toBe(false);

      await Promise.all([page.waitForURL(/saved=1/), page.getByRole('button', { name: 'Save choices' }).click()]);
      expect(new URL(page.url()).searchParams.get('lang')).toBe('en');
      await expect(page.getByRole('status').textContent()).resolves.toContain('Your choices have been saved.');
      await expect(page.getByRole('checkbox', { name: /Events/ }).isChecked()).resolves.toBe(false);

      const s = await getSubscriber(stack.deps.db, idFor(addr));
      expect(s?.brands.livlog?.topics.events?.state).toBe('unsubscribed');
      expect(s?.brands.livlog?.topics.newsletter?.state).toBe('subscribed');
      const last = (await listLedger(stack.deps.db, idFor(addr))).at(-1);
      expect(last).toMatchObject({ source: 'preference-page', ip: '127.0.0.1', changes: [{ topic: 'events', to: 'unsubscribed' }] });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

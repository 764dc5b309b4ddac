import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSesEvent } from '../../functions/store/feedback';
import { launchChromium } from '../support/browser';
import { type ConsoleStack, consoleAs, createConsoleStack } from '../support/console-pages';
import { adminJson, submitOk, verifyFromMail } from '../support/inquiries';
import { type TestStack, uniqueEmail } from '../support/stack';

/**
 * Every console page through axe-core in headless Chromium, over real HTTP, as the officer and as
 * marketing (each signed in through the real sign-in and OpenID provider): no serious or critical
 * violation of WCAG 2.0 / 2.1 A and AA. One file, so that the browser starts once.
 */
const AXE = readFileSync(resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let served: ConsoleStack;
let stack: TestStack;
let browser: Browser;
let officerContext: BrowserContext;
let marketerContext: BrowserContext;
let question = '';
let erasure = '';
let asked = '';

beforeAll(async () => {
  served = await createConsoleStack({ now: '2026-11-20T09:00:00.000Z' });
  stack = served.stack;
  const q = uniqueEmail('a11y-q');
  asked = q;
  question = await submitOk(stack, q, 'question', { message: 'A question <b>with markup</b>' });
  await verifyFromMail(stack, q);
  const e = uniqueEmail('a11y-e');
  erasure = await submitOk(stack, e, 'erasure');
  await verifyFromMail(stack, e);
  await adminJson(stack, 'PUT', `/admin/suppressions/${encodeURIComponent(q)}`, { reason: 'manual', note: 'by hand' });
  await adminJson(
    stack,
    'POST',
    '/v1/campaigns/a11y-campaign/recipients',
    {
      brand: 'livlog',
      topic: 'newsletter',
      category: 'marketing',
      campaignId: 'a11y-campaign',
      content: { subject: 'News', text: 'Hi' },
      recipients: [{ email: 'not an address' }],
    },
    202,
  );
  await recordSesEvent(stack.deps.db, {
    eventId: 'a11y-event',
    detailType: 'Bounce',
    at: new Date('2026-11-18T09:00:00.000Z'),
    stats: { brand: 'livlog', day: '2026-11-18', counts: { delivered: 40, bounced: 3, complained: 1 } },
  });
  const officer = await consoleAs(served, 'officer');
  const marketer = await consoleAs(served, 'marketer');
  browser = await launchChromium();
  // axe is injected as a script; the pages' CSP (no script at all) would refuse it.
  const contextOf = async (jar: typeof officer.jar) => {
    const ctx = await browser.newContext({ bypassCSP: true, locale: 'ja-JP' });
    await ctx.addCookies(jar.all().map((c) => ({ ...c, domain: '127.0.0.1' })));
    return ctx;
  };
  officerContext = await contextOf(officer.jar);
  marketerContext = await contextOf(marketer.jar);
}, 90_000);

afterAll(async () => {
  await officerContext?.close();
  await marketerContext?.close();
  await browser?.close();
  await served?.dispose();
});

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

async function serious(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const { violations, passes } = (await page.evaluate(
    (tags) =>
      (globalThis as unknown as { axe: { run(o: unknown): Promise<{ violations: unknown[]; passes: unknown[] }> } }).axe
        .run({ runOnly: { type: 'tag', values: tags } })
        .then((r) => ({ violations: r.violations, passes: r.passes.length })),
    TAGS,
  )) as { violations: Violation[]; passes: number };
  // A run that checked nothing would pass every page.
  expect(passes).toBeGreaterThan(10);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function checkIn(context: BrowserContext, url: string, expectStatus = 200, act?: (page: Page) => Promise<unknown>) {
  const page = await context.newPage();
  try {
    const res = await page.goto(url);
    if (act) await act(page);
    else expect(res?.status(), url).toBe(expectStatus);
    await page.waitForLoadState('load');
    expect(await page.locator('h1').count(), url).toBeGreaterThan(0);
    expect(await serious(page), url).toEqual([]);
  } finally {
    await page.close();
  }
}

describe('axe-core on every console page (WCAG 2.1 A and AA, serious and critical)', () => {
  it('the officer: overview, queue, inquiry, erasure confirmation, look-up answer, suppressions, import report, one campaign', async () => {
    const o = served.base;
    const check = (url: string, status?: number, act?: (page: Page) => Promise<unknown>) => checkIn(officerContext, url, status, act);
    const submit = (page: Page, selector: string) => Promise.all([page.waitForNavigation(), page.click(selector)]);
    await check(`${o}/console`);
    await check(`${o}/console/inquiries?lang=en`);
    await check(`${o}/console/inquiries/${question}?lang=en`);
    await check(`${o}/console/inquiries/${erasure}?lang=en`, 200, (page) => submit(page, 'form[action$="/fulfil"] button[type="submit"]'));
    await check(`${o}/console/subscribers?lang=en`, 200, async (page) => {
      await page.fill('#email', asked);
      await submit(page, 'form[action="/console/subscribers"] button');
    });
    await check(`${o}/console/suppressions`);
    await check(`${o}/console/suppressions?lang=en`, 200, async (page) => {
      await page.setInputFiles('#import-file', { name: 'list.csv', mimeType: 'text/csv', buffer: Buffer.from('email,reason,brand,createdAt\nbad,manual,,\n') });
      await submit(page, 'form[action="/console/suppressions/import"] button');
    });
    await check(`${o}/console/campaigns/a11y-campaign?lang=en`);
  }, 120_000);

  // Marketing's overview is the officer's without the inquiry list: checked above.
  it('marketing: suppressions (read only), campaigns, and the 403 page', async () => {
    const m = served.base;
    const check = (url: string, status?: number) => checkIn(marketerContext, url, status);
    await check(`${m}/console/suppressions`);
    await check(`${m}/console/campaigns?lang=en`);
    await check(`${m}/console/inquiries`, 403);
  }, 60_000);
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, seriousA11yViolations } from '../support/browser';
import { killStarted, listenOn, type StartedStack, stackPorts, startStack, waitFor } from '../support/local-stack';

/**
 * The console as people meet it: `npm start`, headless Chromium, the local provider's form. The
 * officer signs in, finds a verified inquiry in the queue, extends it, fulfils it, looks up the
 * address and signs out; the marketer sees campaigns and is refused an inquiry; a POST without
 * the CSRF token is refused. axe on every page on the way.
 */
const ADMIN = 'e2e-admin-token-0123456789';
const PASSWORD = 'e2e-console-password';
let browser: Browser;
let stack: StartedStack;
let ports: Awaited<ReturnType<typeof stackPorts>>;
let base: string;

beforeAll(async () => {
  ports = await stackPorts();
  base = `http://127.0.0.1:${ports.PORT}`;
  stack = startStack({ ...ports, CONSOLE_PASSWORD: PASSWORD, ADMIN_TOKEN: ADMIN }, ['--in-memory']);
  [browser] = await Promise.all([launchChromium(), waitFor(`${base}/health`, 90_000)]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  killStarted();
});

describe('the console in Chromium against npm start', () => {
  it('prints the console URL and its accounts', () => {
    expect(stack.output()).toContain(`${base}/console`);
    expect(stack.output()).toContain(`officer or marketer, password ${PASSWORD}`);
  });

  it('signs the officer in through the local provider, shows the console, and signs out; axe finds nothing serious on any page', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    try {
      await page.goto(`${base}/console`);
      expect(page.url()).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${ports.OIDC_PORT}/interaction/`));
      expect(await seriousA11yViolations(page), 'the provider sign-in form').toEqual([]);

      await page.fill('#username', 'officer');
      await page.fill('#password', 'wrong-password');
      await Promise.all([page.waitForLoadState('load'), page.click('button[type="submit"]')]);
      expect(await page.textContent('[role="alert"]')).toContain('not right');
      expect(await seriousA11yViolations(page), 'the sign-in form after a wrong password').toEqual([]);

      await page.fill('#password', PASSWORD);
      await Promise.all([page.waitForURL(`${base}/console`), page.click('button[type="submit"]')]);
      expect(await page.textContent('body')).toContain('Signed in as officer');
      expect(await seriousA11yViolations(page), 'the console').toEqual([]);

      await Promise.all([
        page.waitForURL(new RegExp(`^http://127\\.0\\.0\\.1:${ports.OIDC_PORT}/session/end`)),
        page.click('form[action="/console/logout"] button'),
      ]);
      expect(await seriousA11yViolations(page), "the provider's sign-out question").toEqual([]);
      await Promise.all([page.waitForURL(`${base}/console/signed-out`), page.click('button[value="yes"]')]);
      expect(await page.textContent('h1')).toContain('You are signed out');
      expect(await seriousA11yViolations(page), 'the signed-out page').toEqual([]);

      // Signed out of both: the console sends the browser to the provider's form again.
      await page.goto(`${base}/console`);
      expect(page.url()).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${ports.OIDC_PORT}/interaction/`));
    } finally {
      await context.close();
    }
  }, 90_000);

  it('the officer works a verified inquiry end to end: queue, extend, fulfil, look-up, sign out', async () => {
    const email = `console-e2e-${Date.now()}@example.com`;
    const reference = await verifiedInquiry(email);
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    try {
      await signInAs(page, 'officer');
      await page.goto(`${base}/console/inquiries?lang=en`);
      expect(await seriousA11yViolations(page), 'the queue').toEqual([]);
      await Promise.all([page.waitForURL(`${base}/console/inquiries/${reference}`), page.click(`a[href="/console/inquiries/${reference}"]`)]);
      expect(await page.textContent('main')).toContain('What do you hold about me?');
      expect(await seriousA11yViolations(page), 'the inquiry').toEqual([]);

      await page.fill('#transition-reason-extend', 'We need to search the archive.');
      await Promise.all([page.waitForURL(/done=extended/), page.click('form:has(input[value="extended"]) button[type="submit"]')]);
      expect(await page.textContent('main')).toMatch(/The new due date is \d{1,2} \w+ \d{4}\./);

      await page.fill('#fulfil-note', 'We hold your address and nothing else.');
      await Promise.all([page.waitForURL(/done=/), page.click('form[action$="/fulfil"] button[type="submit"]')]);
      expect(await page.textContent('main')).toContain('Completed');
      expect(await seriousA11yViolations(page), 'the completed inquiry').toEqual([]);

      await page.goto(`${base}/console/subscribers?lang=en`);
      await page.fill('#email', email);
      await Promise.all([page.waitForLoadState('load'), page.click('form[action="/console/subscribers"] button')]);
      expect(page.url()).not.toContain(encodeURIComponent(email));
      expect(await page.textContent('main')).toContain(email);
      expect(await seriousA11yViolations(page), 'the look-up').toEqual([]);

      // The same session's cookie, a form without the CSRF token: refused, nothing changed.
      const forged = await context.request.post(`${base}/console/inquiries/${reference}/transitions`, {
        form: { to: 'rejected', reason: 'forged' },
        maxRedirects: 0,
      });
      expect(forged.status()).toBe(403);
      const events = (await adminGet(`/admin/inquiries/${reference}`)) as { status: string; events: { type: string; by?: string }[] };
      expect(events.status).toBe('completed');
      expect(events.events.filter((e) => e.by === 'officer').map((e) => e.type)).toEqual(['extended', 'completed']);

      await Promise.all([
        page.waitForURL(new RegExp(`^http://127\\.0\\.0\\.1:${ports.OIDC_PORT}/session/end`)),
        page.click('form[action="/console/logout"] button'),
      ]);
      await Promise.all([page.waitForURL(`${base}/console/signed-out`), page.click('button[value="yes"]')]);
      expect(await page.textContent('h1')).toContain('You are signed out');
    } finally {
      await context.close();
    }
  }, 120_000);

  it('the marketer sees the campaigns and is refused an inquiry', async () => {
    const reference = await verifiedInquiry(`console-e2e-m-${Date.now()}@example.com`);
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    try {
      await signInAs(page, 'marketer');
      const campaigns = await page.goto(`${base}/console/campaigns?lang=en`);
      expect(campaigns?.status()).toBe(200);
      expect(await page.locator('h1').textContent()).toContain('Campaigns');
      expect(await seriousA11yViolations(page), 'the campaigns').toEqual([]);
      const refused = await page.goto(`${base}/console/inquiries/${reference}?lang=en`);
      expect(refused?.status()).toBe(403);
      expect(await page.textContent('main')).not.toContain('What do you hold about me?');
      expect(await seriousA11yViolations(page), 'the 403 page').toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('stops the provider with the rest on SIGTERM', async () => {
    stack.child.kill('SIGTERM');
    expect(await stack.exited).toBe(0);
    const srv = await listenOn(Number(ports.OIDC_PORT));
    expect(srv.listening).toBe(true);
    srv.close();
  }, 60_000);
});

async function signInAs(page: Page, username: string) {
  await page.goto(`${base}/console?lang=en`);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(new RegExp(`^${base}/console`)), page.click('button[type="submit"]')]);
  expect(await page.textContent('body')).toContain(`Signed in as ${username}`);
}

async function adminGet(path: string): Promise<unknown> {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${ADMIN}` } });
  expect(res.status).toBe(200);
  return res.json();
}

/** A question sent by the contact form's JSON route, verified from the mail the local SES received. */
async function verifiedInquiry(email: string): Promise<string> {
  const res = await fetch(`${base}/v1/inquiries`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ brand: 'livlog', type: 'question', email, message: 'What do you hold about me?', locale: 'en' }),
  });
  expect(res.status).toBe(202);
  const { reference } = (await res.json()) as { reference: string };
  const link = await verificationLink(email);
  const verified = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
  expect(verified.status).toBe(200);
  return reference;
}

async function verificationLink(email: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { emails } = (await (await fetch(`http://127.0.0.1:${ports.SES_PORT}/store`)).json()) as {
      emails: { destination: { to: string[] }; body: { text?: string } }[];
    };
    const text = emails.find((m) => m.destination.to.some((t) => t.includes(email)))?.body.text ?? '';
    const link = new RegExp(`${base}/inquiries/verify/[A-Za-z0-9_.\\-]+`).exec(text)?.[0];
    if (link) return link;
    if (Date.now() > deadline) throw new Error('no verification mail');
    await new Promise((r) => setTimeout(r, 200));
  }
}

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, seriousA11yViolations } from '../support/browser';
import { killStarted, listenOn, type StartedStack, stackPorts, startStack, waitFor } from '../support/local-stack';

/**
 * The console's sign-in as a person meets it: `npm start`, headless Chromium, the local
 * provider's form, the console, signing out; axe on every page on the way.
 */
const PASSWORD = 'e2e-console-password';
let browser: Browser;
let stack: StartedStack;
let ports: Awaited<ReturnType<typeof stackPorts>>;
let base: string;

beforeAll(async () => {
  ports = await stackPorts();
  base = `http://127.0.0.1:${ports.PORT}`;
  stack = startStack({ ...ports, CONSOLE_PASSWORD: PASSWORD, ADMIN_TOKEN: 'e2e-admin-token-0123456789' }, ['--in-memory']);
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

  it('stops the provider with the rest on SIGTERM', async () => {
    stack.child.kill('SIGTERM');
    expect(await stack.exited).toBe(0);
    const srv = await listenOn(Number(ports.OIDC_PORT));
    expect(srv.listening).toBe(true);
    srv.close();
  }, 60_000);
});

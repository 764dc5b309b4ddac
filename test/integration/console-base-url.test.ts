import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningOidcProvider, startOidcProvider } from '../../bin/local/oidc-provider';
import { freePort } from '../../bin/local/processes';
import { CookieJar, follow, request, signIn } from '../support/console-sign-in';
import { type Served, serveOnLoopback } from '../support/serve';
import { createTestStack, type TestStack } from '../support/stack';

/**
 * A console served on a host of its own (the deploy setting `consoleBaseUrl`), apart from the base
 * of the links in emails: the provider knows only the console's callback and sign-out URLs, as
 * the Cognito app client does in AWS, and a sign-in must name exactly those.
 */
const PASSWORD = 'console-test-password';
const PUBLIC_BASE_URL = 'https://u.example.jp';
let stack: TestStack;
let provider: RunningOidcProvider;
let served: Served;
let consoleBase: string;

beforeAll(async () => {
  const port = await freePort();
  consoleBase = `http://127.0.0.1:${port}`;
  provider = await startOidcProvider({
    port: 0,
    password: PASSWORD,
    clients: [{ clientId: 'console', redirectUris: [`${consoleBase}/console/callback`], postLogoutRedirectUris: [`${consoleBase}/console/signed-out`] }],
    accounts: { officer: ['privacy-officer'] },
  });
  stack = await createTestStack({
    now: new Date().toISOString(),
    config: {
      PUBLIC_BASE_URL,
      CONSOLE_BASE_URL: consoleBase,
      CONSOLE_OIDC_ISSUER: provider.issuer,
      CONSOLE_OIDC_CLIENT_ID: 'console',
      CONSOLE_OIDC_ALLOW_INSECURE: 'true',
    },
  });
  served = await serveOnLoopback(stack.app.fetch, port);
});

afterAll(async () => {
  await served?.close();
  await provider?.stop();
  await stack?.dispose();
});

describe('a console whose base URL is not the public one', () => {
  it("sends the provider the console's own callback as redirect_uri", async () => {
    const res = await request(new CookieJar(), `${consoleBase}/console`);
    expect(res.status).toBe(302);
    const auth = new URL(res.headers.get('location') ?? '');
    expect(`${auth.origin}${auth.pathname}`).toBe(`${provider.issuer}/auth`);
    expect(auth.searchParams.get('redirect_uri')).toBe(`${consoleBase}/console/callback`);
  });

  it('signs in through the provider, and a form posted from the console origin with its CSRF token reaches its route', async () => {
    const { jar, csrf, html } = await signIn(consoleBase, 'officer', PASSWORD);
    expect(html).toContain('officer');
    const res = await request(jar, `${consoleBase}/console/subscribers?lang=en`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: consoleBase },
      body: new URLSearchParams({ csrf, email: 'nobody@example.com' }).toString(),
    });
    // The look-up ran (past the CSRF check): it answers that nothing is held about the address.
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Nothing is held about this address.');
  });

  it("signs out to the provider with the console's own signed-out page, which the provider then sends the browser to", async () => {
    const { jar, csrf } = await signIn(consoleBase, 'officer', PASSWORD);
    const out = await request(jar, `${consoleBase}/console/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf }).toString(),
    });
    expect(out.status).toBe(303);
    const end = new URL(out.headers.get('location') ?? '');
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${consoleBase}/console/signed-out`);
    // The provider asks to confirm (it refuses a post_logout_redirect_uri it does not know), then sends the browser there.
    const ask = await follow(jar, await request(jar, end.toString()), end.toString());
    expect(ask.res.status).toBe(200);
    const form = await ask.res.text();
    const action = new URL(/id="op.logoutForm"[^>]*action="([^"]+)"|action="([^"]+)"[^>]*id="op.logoutForm"/.exec(form)?.slice(1).find(Boolean) ?? '', ask.url);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(form)?.[1] ?? '';
    const confirmed = await request(jar, action.toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf, logout: 'yes' }).toString(),
    });
    const back = await follow(jar, confirmed, action.toString());
    expect(back.url.startsWith(`${consoleBase}/console/signed-out`), back.url).toBe(true);
    expect(back.res.status).toBe(200);
  });
});

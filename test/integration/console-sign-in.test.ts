import { createHash } from 'node:crypto';
import { DeleteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type APIGatewayProxyResult, handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningOidcProvider, startOidcProvider } from '../../bin/local/oidc-provider';
import { freePort } from '../../bin/local/processes';
import { createLogger } from '../../functions/log';
import { keys } from '../../functions/store/keys';
import { CookieJar, csrfOf, follow, request, signIn, signInUntilCallback } from '../support/console-sign-in';
import { type Served, serveOnLoopback } from '../support/serve';
import { createTestStack, type TestStack } from '../support/stack';

/**
 * The console's sign-in over real HTTP: the app on a loopback port, a real oidc-provider with the
 * console's client and a second one, DynamoDB Local for attempts and sessions.
 */
const PASSWORD = 'console-test-password';
let stack: TestStack;
let provider: RunningOidcProvider;
let served: Served;
let base: string;
const logLines: string[] = [];

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const uris = { redirectUris: [`${base}/console/callback`], postLogoutRedirectUris: [`${base}/console/signed-out`] };
  provider = await startOidcProvider({
    port: 0,
    password: PASSWORD,
    clients: [
      { clientId: 'console', ...uris },
      { clientId: 'other-app', ...uris },
    ],
    accounts: { officer: ['privacy-officer'], marketer: ['marketing'], visitor: ['staff'] },
  });
  stack = await createTestStack({
    now: new Date().toISOString(),
    config: {
      PUBLIC_BASE_URL: base,
      CONSOLE_OIDC_ISSUER: provider.issuer,
      CONSOLE_OIDC_CLIENT_ID: 'console',
      CONSOLE_OIDC_ALLOW_INSECURE: 'true',
      LOG_LEVEL: 'debug',
    },
    deps: { logger: createLogger({ level: 'debug', write: (l) => logLines.push(l) }) },
  });
  served = await serveOnLoopback(stack.app.fetch, port);
});

afterAll(async () => {
  await served?.close();
  await provider?.stop();
  await stack?.dispose();
});

const console_ = (path = '') => `${base}/console${path}`;
const post = (jar: CookieJar, path: string, fields: Record<string, string>) =>
  request(jar, console_(path), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
const isRedirectToProvider = (res: Response) => [302, 303].includes(res.status) && (res.headers.get('location') ?? '').startsWith(`${provider.issuer}/auth?`);
const withParam = (url: string, name: string, value: string) => {
  const u = new URL(url);
  u.searchParams.set(name, value);
  return u.toString();
};

describe('signing in to the console', () => {
  it('sends a request without a session to the provider: code flow, PKCE S256, state and nonce, an attempt cookie of its own', async () => {
    const res = await request(new CookieJar(), console_('/inquiries?status=received'));
    expect(isRedirectToProvider(res)).toBe(true);
    const auth = new URL(res.headers.get('location') ?? '');
    expect(
      Object.fromEntries(['response_type', 'client_id', 'scope', 'code_challenge_method', 'redirect_uri'].map((k) => [k, auth.searchParams.get(k)])),
    ).toEqual({
      response_type: 'code',
      client_id: 'console',
      scope: 'openid',
      code_challenge_method: 'S256',
      redirect_uri: `${base}/console/callback`,
    });
    // Asked for the password again every time: the provider's own session must not outlive the
    // console's 30 idle minutes.
    expect(auth.searchParams.get('prompt')).toBe('login');
    for (const k of ['state', 'nonce', 'code_challenge']) expect(auth.searchParams.get(k)?.length ?? 0, k).toBeGreaterThanOrEqual(43);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('pp_console_login='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/console/);
    // The local stack is plain HTTP; everywhere else the cookie is Secure (functions/config.ts).
    expect(cookie).not.toMatch(/Secure/i);
  });

  it('signs the officer in through the provider and comes back to the page first asked for', async () => {
    const jar = new CookieJar();
    const callback = await signInUntilCallback(base, 'officer', PASSWORD, jar, console_('?lang=en'));
    const back = await request(jar, callback);
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/console?lang=en');
    const cookie = back.headers.getSetCookie().find((c) => c.startsWith('pp_console='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/console/);
    const page = await request(jar, console_('?lang=en'));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Signed in as officer');
    expect(csrfOf(html)).toMatch(/^[\w-]{43}$/);
    // The logout form's redirect goes to the provider, which the page's form-action allows.
    expect(page.headers.get('content-security-policy')).toContain(`form-action 'self' ${provider.issuer}`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('keeps only a hash of the session id in the table, and no cookie value at all', async () => {
    const { jar, csrf } = await signIn(base, 'marketer', PASSWORD);
    const id = jar.get('pp_console') as string;
    const items = await stack.deps.db.doc.send(new ScanCommand({ TableName: stack.deps.db.tableName }));
    const dump = JSON.stringify(items.Items);
    expect(dump).not.toContain(id);
    expect(dump).toContain(createHash('sha256').update(id).digest('base64url'));
    const session = items.Items?.find((i) => i.pk === `CONSOLE#SESSION#${createHash('sha256').update(id).digest('base64url')}`);
    expect(session).toMatchObject({ username: 'marketer', roles: ['marketer'], csrfToken: csrf });
    expect(session?.expiresAt).toBe(Math.floor(stack.deps.clock.now().getTime() / 1000) + 8 * 3600);
  });

  it('remembers the language chosen with ?lang= in the session', async () => {
    const { jar } = await signIn(base, 'officer', PASSWORD);
    expect(await (await request(jar, console_('?lang=en'))).text()).toContain('Signed in as officer');
    expect(await (await request(jar, console_(), { headers: { 'accept-language': 'ja' } })).text()).toContain('Signed in as officer');
    expect(await (await request(jar, console_('?lang=ja'))).text()).toContain('officer でサインイン中');
  });
});

describe('refusals of the callback: a page offering to sign in again, never a 500', () => {
  const expectSignInAgain = async (res: Response) => {
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('href="/console/login?lang=');
    expect(res.headers.getSetCookie().some((c) => /^pp_console=[^;]/.test(c))).toBe(false);
  };

  it('refuses a forged state, and the attempt is used up by it', async () => {
    const jar = new CookieJar();
    const callback = await signInUntilCallback(base, 'officer', PASSWORD, jar);
    const kept = jar.copy();
    await expectSignInAgain(await request(jar, withParam(callback, 'state', 'forged-state-0123456789-0123456789-0123456789')));
    await expectSignInAgain(await request(kept, callback));
  });

  it('refuses a replayed callback (the same state and code twice)', async () => {
    const jar = new CookieJar();
    const callback = await signInUntilCallback(base, 'officer', PASSWORD, jar);
    const replay = jar.copy();
    expect((await request(jar, callback)).status).toBe(303);
    await expectSignInAgain(await request(replay, callback));
  });

  it('refuses a code already redeemed, even with a fresh attempt', async () => {
    const jar = new CookieJar();
    const callback = await signInUntilCallback(base, 'officer', PASSWORD, jar);
    expect((await request(jar, callback)).status).toBe(303);
    const fresh = new CookieJar();
    const start = await request(fresh, console_('/login'));
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
    await expectSignInAgain(await request(fresh, withParam(callback, 'state', state)));
  });

  it('refuses a code issued to another client', async () => {
    const jar = new CookieJar();
    const start = await request(jar, console_('/login'));
    const ours = new URL(start.headers.get('location') ?? '');
    const theirs = new URL(ours);
    theirs.searchParams.set('client_id', 'other-app');
    // Signed in at the provider as another app, with our state: the code is that app's.
    const callback = await signInUntilCallback(base, 'officer', PASSWORD, jar, theirs.toString());
    await expectSignInAgain(await request(jar, callback));
  });

  it("refuses the provider's error= answer", async () => {
    const jar = new CookieJar();
    const start = await request(jar, console_('/login'));
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
    await expectSignInAgain(await request(jar, `${console_('/callback')}?error=access_denied&state=${state}&iss=${encodeURIComponent(provider.issuer)}`));
  });

  it('refuses a callback without the attempt cookie, or with a tampered one', async () => {
    const jar = new CookieJar();
    const callback = await signInUntilCallback(base, 'officer', PASSWORD, jar);
    const tampered = jar.copy();
    // Another last character: one that already was `A` would leave the cookie intact (1 run in 64).
    const cookie = jar.get('pp_console_login') as string;
    tampered.set('pp_console_login', `${cookie.slice(0, -1)}${cookie.endsWith('A') ? 'B' : 'A'}`);
    await expectSignInAgain(await request(tampered, callback));
    await expectSignInAgain(await fetch(callback, { headers: { accept: 'text/html' }, redirect: 'manual' }));
  });

  it('answers an account with no console group 403 with a page, and makes no session', async () => {
    const jar = new CookieJar();
    const callback = await signInUntilCallback(base, 'visitor', PASSWORD, jar);
    const res = await request(jar, callback);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('href="/console/login?lang=');
    expect(jar.get('pp_console')).toBeUndefined();
    expect(isRedirectToProvider(await request(jar, console_()))).toBe(true);
  });

  it('refuses a wrong password at the provider with its form again', async () => {
    const jar = new CookieJar();
    const form = await follow(jar, await request(jar, console_()), console_());
    const action = /<form[^>]*action="([^"]+)"/.exec(await form.res.text())?.[1] ?? '';
    const res = await request(jar, new URL(action, form.url).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'officer', password: 'not-the-password' }).toString(),
    });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('role="alert"');
  });
});

describe('sessions', () => {
  it('refuses a tampered session cookie (back to the provider)', async () => {
    const { jar } = await signIn(base, 'officer', PASSWORD);
    const id = jar.get('pp_console') as string;
    const tampered = jar.copy();
    tampered.set('pp_console', `${id.slice(0, 10)}${id[10] === 'a' ? 'b' : 'a'}${id.slice(11)}`);
    expect(isRedirectToProvider(await request(tampered, console_()))).toBe(true);
    expect((await request(jar, console_())).status).toBe(200);
  });

  it('slides with use, and ends after 30 minutes without use', async () => {
    const { jar } = await signIn(base, 'officer', PASSWORD);
    stack.clock.advance(29 * 60_000);
    expect((await request(jar, console_())).status).toBe(200);
    stack.clock.advance(29 * 60_000);
    expect((await request(jar, console_())).status).toBe(200);
    stack.clock.advance(30 * 60_000 + 1000);
    expect(isRedirectToProvider(await request(jar, console_()))).toBe(true);
  });

  it('ends 8 hours after sign-in however much it is used', async () => {
    const { jar } = await signIn(base, 'officer', PASSWORD);
    for (let used = 0; used < 8 * 60; used += 25) {
      stack.clock.advance(25 * 60_000);
      const res = await request(jar, console_());
      await res.arrayBuffer();
      if (used + 25 < 8 * 60) expect(res.status, `after ${used + 25} minutes`).toBe(200);
      else expect(isRedirectToProvider(res), `after ${used + 25} minutes`).toBe(true);
    }
  });

  it('signs out: the item is deleted, the browser goes to the provider, and a copied cookie is refused', async () => {
    const { jar, csrf } = await signIn(base, 'officer', PASSWORD);
    const copied = jar.copy();
    const out = await post(jar, '/logout', { csrf });
    expect(out.status).toBe(303);
    const end = new URL(out.headers.get('location') ?? '');
    expect(`${end.origin}${end.pathname}`).toBe(`${provider.issuer}/session/end`);
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${base}/console/signed-out`);
    expect(end.searchParams.get('client_id')).toBe('console');
    expect(end.searchParams.get('id_token_hint')).toBeTruthy();
    expect(out.headers.getSetCookie().find((c) => c.startsWith('pp_console='))).toMatch(/Max-Age=0/i);
    expect(isRedirectToProvider(await request(copied, console_()))).toBe(true);
    const signedOut = await request(new CookieJar(), console_('/signed-out?lang=en'));
    expect(signedOut.status).toBe(200);
    expect(await signedOut.text()).toContain('You are signed out');
  });

  it('signs out of the provider too when the console session has already ended, never signing in again', async () => {
    const { jar } = await signIn(base, 'officer', PASSWORD);
    await stack.deps.db.doc.send(
      new DeleteCommand({
        TableName: stack.deps.db.tableName,
        Key: keys.consoleSession(
          createHash('sha256')
            .update(jar.get('pp_console') as string)
            .digest('base64url'),
        ),
      }),
    );
    const out = await post(jar, '/logout', {});
    expect(out.status).toBe(303);
    const end = new URL(out.headers.get('location') ?? '');
    expect(`${end.origin}${end.pathname}`).toBe(`${provider.issuer}/session/end`);
    expect(out.headers.getSetCookie().find((c) => c.startsWith('pp_console='))).toMatch(/Max-Age=0/i);
  });

  it('ends the session a browser had when it signs in again', async () => {
    const jar = new CookieJar();
    await signIn(base, 'officer', PASSWORD, jar);
    const before = jar.copy();
    // Signed in already, the browser opens the sign-in again.
    const callback = await signInUntilCallback(base, 'officer', PASSWORD, jar, console_('/login'));
    expect((await follow(jar, await request(jar, callback), callback)).res.status).toBe(200);
    expect(jar.get('pp_console')).not.toBe(before.get('pp_console'));
    expect(isRedirectToProvider(await request(before, console_()))).toBe(true);
    expect((await request(jar, console_())).status).toBe(200);
  });
});

describe('CSRF', () => {
  it('answers a POST without the token, or with a wrong one, 403 with a page, and changes nothing', async () => {
    const { jar, csrf } = await signIn(base, 'officer', PASSWORD);
    for (const fields of [{} as Record<string, string>, { csrf: 'x'.repeat(43) }, { csrf: `${csrf.slice(0, -1)}${csrf.endsWith('A') ? 'B' : 'A'}` }]) {
      const res = await post(jar, '/logout', fields);
      expect(res.status, JSON.stringify(fields)).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('href="/console?lang=');
    }
    const json = await request(jar, console_('/logout'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ csrf }) });
    expect(json.status).toBe(403);
    // Still signed in: the refused logouts did nothing.
    expect((await request(jar, console_())).status).toBe(200);
  });

  it("refuses another session's token", async () => {
    const a = await signIn(base, 'officer', PASSWORD);
    const b = await signIn(base, 'marketer', PASSWORD);
    expect((await post(a.jar, '/logout', { csrf: b.csrf })).status).toBe(403);
    expect((await request(a.jar, console_())).status).toBe(200);
  });

  it('sends a POST without a session to the provider (303), before any route runs', async () => {
    const res = await post(new CookieJar(), '/suppressions', {});
    expect(res.status).toBe(303);
    expect(isRedirectToProvider(res)).toBe(true);
  });
});

describe('logs', () => {
  it('write no cookie, token, code or password', async () => {
    const { jar, csrf } = await signIn(base, 'officer', PASSWORD);
    await post(jar, '/logout', { csrf });
    const logs = logLines.join('\n');
    expect(logs).toContain('"route":"/console/callback"');
    for (const secret of [jar.get('pp_console') as string, csrf, PASSWORD, 'code=', 'state=', 'eyJ']) expect(logs).not.toContain(secret);
  });
});

describe('through the Lambda adapter (API Gateway HTTP API, payload 2.0)', () => {
  const event = (path: string, cookies?: string[]) => ({
    version: '2.0',
    routeKey: 'GET /console',
    rawPath: path,
    rawQueryString: 'lang=en',
    ...(cookies ? { cookies } : {}),
    headers: { host: new URL(base).host, accept: 'text/html' },
    requestContext: {
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '198.51.100.7', userAgent: 'vitest' },
      requestId: 'console-1',
      stage: '$default',
    },
    isBase64Encoded: false,
  });
  const invoke = async (e: ReturnType<typeof event>) =>
    (await handle(stack.app)(e as unknown as LambdaEvent, {} as LambdaContext)) as APIGatewayProxyResult & { cookies?: string[] };

  it("reads the session from the event's cookies and sets its cookies in the answer's", async () => {
    const out = await invoke(event('/console'));
    expect(out.statusCode).toBe(302);
    expect(out.cookies?.some((c) => c.startsWith('pp_console_login=') && /HttpOnly/i.test(c))).toBe(true);
    const { jar } = await signIn(base, 'officer', PASSWORD);
    const page = await invoke(event('/console', [`pp_console=${jar.get('pp_console')}`, '_session=provider-cookie']));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Signed in as officer');
  });
});

import { type RunningOidcProvider, startOidcProvider } from '../../bin/local/oidc-provider';
import { freePort } from '../../bin/local/processes';
import { CSRF_FIELD } from '../../functions/http/console/context';
import { type CookieJar, request as jarRequest, signIn } from './console-sign-in';
import { type Served, serveOnLoopback } from './serve';
import { createTestStack, type TestStack, type TestStackOptions } from './stack';

/**
 * The console served as in the local stack, for the page tests: the app on a loopback port behind
 * its real sign-in, a real oidc-provider with the accounts `officer`, `officer2` (both privacy
 * officers) and `marketer`, DynamoDB Local and the local SES. `consoleAs` signs in through the
 * provider's form and answers a client that sends the session cookie and the session's CSRF token.
 */
export const CONSOLE_TEST_PASSWORD = 'console-pages-password';

export interface ConsoleClient {
  /** One request to a path of the console's origin, with the session cookie; redirects not followed. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** A form POST (urlencoded, or multipart for FormData) with the CSRF field added. */
  post(path: string, fields: [string, string][] | FormData, headers?: Record<string, string>): Promise<Response>;
  /** The session's cookies, for a browser context. */
  jar: CookieJar;
  csrf: string;
  username: string;
}

export interface ConsoleStack {
  stack: TestStack;
  /** The console's origin, e.g. http://127.0.0.1:PORT. */
  base: string;
  /** The OpenID provider's issuer. */
  issuer: string;
  dispose(): Promise<void>;
}

export async function createConsoleStack(opts: TestStackOptions = {}): Promise<ConsoleStack> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const provider: RunningOidcProvider = await startOidcProvider({
    port: 0,
    password: CONSOLE_TEST_PASSWORD,
    clients: [{ clientId: 'console', redirectUris: [`${base}/console/callback`], postLogoutRedirectUris: [`${base}/console/signed-out`] }],
    accounts: { officer: ['privacy-officer'], officer2: ['privacy-officer'], marketer: ['marketing'] },
  });
  const stack = await createTestStack({
    ...opts,
    config: {
      ...opts.config,
      PUBLIC_BASE_URL: base,
      CONSOLE_OIDC_ISSUER: provider.issuer,
      CONSOLE_OIDC_CLIENT_ID: 'console',
      CONSOLE_OIDC_ALLOW_INSECURE: 'true',
    },
  });
  const served: Served = await serveOnLoopback(stack.app.fetch, port);
  return {
    stack,
    base,
    issuer: provider.issuer,
    dispose: async () => {
      await served.close();
      await provider.stop();
      await stack.dispose();
    },
  };
}

/**
 * Signs in as `username`. The tests move the stack's clock by days, past a session's 8 hours: a
 * request that the console answers with a redirect to the provider is signed in again and sent
 * again, as the person would do, with the new session's CSRF token.
 */
export async function consoleAs(c: ConsoleStack, username: 'officer' | 'officer2' | 'marketer'): Promise<ConsoleClient> {
  let session = await signIn(c.base, username, CONSOLE_TEST_PASSWORD);
  const toProvider = (res: Response) => [302, 303].includes(res.status) && (res.headers.get('location') ?? '').startsWith(c.issuer);
  const send = async (path: string, init: () => RequestInit) => {
    const res = await jarRequest(session.jar, `${c.base}${path}`, init());
    if (!toProvider(res)) return res;
    await res.arrayBuffer();
    session = await signIn(c.base, username, CONSOLE_TEST_PASSWORD);
    client.jar = session.jar;
    client.csrf = session.csrf;
    return jarRequest(session.jar, `${c.base}${path}`, init());
  };
  const client: ConsoleClient = {
    request: (path, init = {}) => send(path, () => init),
    post: (path, fields, headers = {}) =>
      send(path, () => {
        if (fields instanceof FormData) {
          fields.set(CSRF_FIELD, session.csrf);
          return { method: 'POST', body: fields, headers: { accept: 'text/html', ...headers } };
        }
        const body = new URLSearchParams([...fields, [CSRF_FIELD, session.csrf]]).toString();
        return { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...headers } };
      }),
    jar: session.jar,
    csrf: session.csrf,
    username,
  };
  return client;
}

import { createHash, generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { StartupError } from '../../functions/core/errors';
import { CSS, errorPage, loggedOutPage, loginPage, logoutPage, pageCsp, STYLESHEET_PATH } from './oidc-pages';
import { memoryAdapter } from './oidc-store';

/**
 * The local stack's stand-in for the Cognito user pool: a real OpenID provider (`oidc-provider`)
 * on loopback, with the accounts `officer` (group `privacy-officer`) and `marketer` (group
 * `marketing`) and one password. Its ID tokens carry Cognito's claims (`cognito:username`,
 * `cognito:groups`), so the console reads both providers with one code path. The tests start it
 * too, with clients of their own.
 */
export const LOCAL_ACCOUNTS: Readonly<Record<string, readonly string[]>> = { officer: ['privacy-officer'], marketer: ['marketing'] };

export interface LocalClient {
  clientId: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
}

export interface RunningOidcProvider {
  issuer: string;
  server: Server;
  stop(): Promise<void>;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) break;
  }
  return new URLSearchParams(body);
}

function send(res: ServerResponse, status: number, html: string, csp: string) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp, 'cache-control': 'no-store', 'x-frame-options': 'DENY' });
  res.end(html);
}

/** Starts the provider on 127.0.0.1:`port` (0: a free one) and waits until its discovery answers. */
export async function startOidcProvider(opts: {
  port: number;
  password: string;
  clients: LocalClient[];
  /** Username → groups. @default LOCAL_ACCOUNTS */
  accounts?: Readonly<Record<string, readonly string[]>>;
}): Promise<RunningOidcProvider> {
  const accounts = opts.accounts ?? LOCAL_ACCOUNTS;
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new StartupError(err.code === 'EADDRINUSE' ? `port ${opts.port} (OIDC_PORT) is already in use; stop what uses it or set OIDC_PORT` : err.message)),
    );
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const formTargets = [...new Set(opts.clients.flatMap((c) => [...c.redirectUris, ...c.postLogoutRedirectUris].map((u) => new URL(u).origin)))];
  const csp = pageCsp(formTargets);
  const expected = digest(opts.password);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  const configuration: Configuration = {
    clients: opts.clients.map((c) => ({
      client_id: c.clientId,
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: c.redirectUris,
      post_logout_redirect_uris: c.postLogoutRedirectUris,
    })),
    adapter: memoryAdapter(),
    pkce: { required: () => true },
    // Stated, so that the package does not note each default it falls back to.
    ttl: { Interaction: 600, Session: 8 * 3600, Grant: 8 * 3600, AccessToken: 600, IdToken: 3600, AuthorizationCode: 60 },
    jwks: { keys: [privateKey.export({ format: 'jwk' }) as never] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub', 'cognito:username', 'cognito:groups'] },
    // Claims in the ID token itself, as Cognito puts them, not only at the userinfo endpoint.
    conformIdTokenClaims: false,
    async findAccount(_ctx, sub) {
      const groups = Object.hasOwn(accounts, sub) ? accounts[sub] : undefined;
      if (!groups) return undefined;
      return { accountId: sub, claims: () => ({ sub, 'cognito:username': sub, 'cognito:groups': [...groups] }) };
    },
    // The console is this provider's own first-party client: no consent screen.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { oidc } = ctx;
      const clientId = oidc.client?.clientId;
      const accountId = oidc.session?.accountId;
      if (!clientId || !accountId) return undefined;
      const existing = oidc.session?.grantIdFor(clientId);
      if (existing) return oidc.provider.Grant.find(existing);
      const grant = new oidc.provider.Grant({ clientId, accountId });
      grant.addOIDCScope('openid');
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.set('content-security-policy', csp);
          ctx.type = 'html';
          ctx.body = logoutPage(form);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = 'html';
          ctx.body = loggedOutPage();
        },
      },
    },
    renderError: (ctx, out) => {
      ctx.set('content-security-policy', csp);
      ctx.type = 'html';
      ctx.body = errorPage(String(out.error ?? 'error'), typeof out.error_description === 'string' ? out.error_description : undefined);
    },
  };
  // Loaded here, not at the top: the local stack starts this beside DynamoDB Local's JVM, and the
  // package (Koa and friends) then loads while the JVM starts instead of before it.
  const { default: Provider } = await import('oidc-provider');
  const provider = new Provider(issuer, configuration);
  // Its own warnings about development settings say nothing to a person running the local stack.
  provider.on('server_error', () => {});
  const callback = provider.callback();

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', issuer).pathname;
    if (path === STYLESHEET_PATH) {
      res.writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=3600' });
      res.end(CSS);
      return;
    }
    const m = /^\/interaction\/([\w-]+)$/.exec(path);
    if (!m) {
      void callback(req, res);
      return;
    }
    void interaction(req, res, path).catch(() => {
      if (!res.headersSent) send(res, 400, errorPage('invalid_request', 'This sign-in has expired. Go back to the console and start again.'), csp);
    });
  });

  async function interaction(req: IncomingMessage, res: ServerResponse, action: string) {
    const details = await provider.interactionDetails(req, res);
    const clientId = typeof details.params.client_id === 'string' ? details.params.client_id : undefined;
    if (req.method !== 'POST') {
      send(res, 200, loginPage(action, clientId ? { clientId } : {}), csp);
      return;
    }
    const form = await readForm(req);
    const username = form.get('username') ?? '';
    // Both compared every time, in constant time, so that the answer's time says nothing.
    const passwordOk = timingSafeEqual(digest(form.get('password') ?? ''), expected);
    const known = Object.hasOwn(accounts, username);
    if (!known || !passwordOk) {
      send(res, 401, loginPage(action, { username, failed: true, ...(clientId ? { clientId } : {}) }), csp);
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: username } }, { mergeWithLastSubmission: false });
  }

  await waitForDiscovery(issuer);
  return {
    issuer,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function waitForDiscovery(issuer: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const res = await fetch(`${issuer}/.well-known/openid-configuration`);
      if (res.ok) return;
    } catch {}
    if (Date.now() > deadline) throw new StartupError(`the local OpenID provider did not answer at ${issuer}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

import { map, oneOf, optional, refine, type Shaped, string, url, withDefault } from './core/check';
import { ConfigError } from './core/errors';

/**
 * The console's part of the environment (functions/config.ts reads it with the rest, once): how
 * the console signs operators in. Apart so that the console's rules stand together.
 */
export const consoleShape = {
  /** The console's OpenID provider (a Cognito user pool's issuer in AWS); no console without it. */
  CONSOLE_OIDC_ISSUER: optional(url),
  CONSOLE_OIDC_CLIENT_ID: optional(string({ min: 1, max: 256 })),
  /** A provider without `end_session_endpoint` in its discovery (Cognito): its logout URL, `https://<domain>/logout`. */
  CONSOLE_OIDC_LOGOUT_URL: optional(url),
  /** Plain-HTTP calls to the provider: only the local stack and the tests set it, and only for a loopback issuer. */
  CONSOLE_OIDC_ALLOW_INSECURE: withDefault(oneOf(['true', 'false']), 'false'),
  /**
   * Where the console is served, when not at PUBLIC_BASE_URL (the deploy setting `consoleBaseUrl`):
   * the base of the callback and sign-out URLs the provider has registered for the console.
   */
  CONSOLE_BASE_URL: optional(
    map(
      // An origin: the console's routes and its cookies' `Path=/console` are at the host's root.
      refine(url, (u, report) => {
        // `url` has reported one it cannot parse.
        if (!URL.canParse(u)) return;
        const parsed = new URL(u);
        if (parsed.origin === 'null' || `${parsed.origin}/` !== parsed.href.replace(/\/+$/, '/'))
          report('an origin only (scheme, host and port), no path, query or fragment');
      }),
      (u) => u.replace(/\/+$/, ''),
    ),
  ),
};

/** How the console signs operators in (functions/oidc/relying-party.ts). */
export interface ConsoleConfig {
  issuer: string;
  clientId: string;
  logoutUrl?: string;
  /**
   * Where the console is served (`CONSOLE_BASE_URL`, else `PUBLIC_BASE_URL`): its `redirect_uri` and
   * `post_logout_redirect_uri` are built on it, and must be the provider's registered ones exactly.
   */
  baseUrl: string;
  /** True only for a loopback issuer in the local stack and the tests. */
  allowInsecureRequests: boolean;
  /** Cookies carry `Secure` wherever the console is served over HTTPS, which is everywhere but the local stack. */
  secureCookies: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The console's sign-in, when the environment names a provider; `ConfigError` for a half or unsafe one. */
export function consoleOf(e: Shaped<typeof consoleShape> & { PUBLIC_BASE_URL: string }): { console?: ConsoleConfig } {
  if (!e.CONSOLE_OIDC_ISSUER) return {};
  if (!e.CONSOLE_OIDC_CLIENT_ID) throw new ConfigError('CONSOLE_OIDC_CLIENT_ID: required when CONSOLE_OIDC_ISSUER is set');
  const insecure = e.CONSOLE_OIDC_ALLOW_INSECURE === 'true';
  // A flag set by mistake in AWS must not turn off TLS to a real provider.
  if (insecure && !LOOPBACK.has(new URL(e.CONSOLE_OIDC_ISSUER).hostname)) {
    throw new ConfigError('CONSOLE_OIDC_ALLOW_INSECURE: only for an issuer on the loopback address');
  }
  const baseUrl = e.CONSOLE_BASE_URL ?? e.PUBLIC_BASE_URL;
  return {
    console: {
      issuer: e.CONSOLE_OIDC_ISSUER,
      clientId: e.CONSOLE_OIDC_CLIENT_ID,
      ...(e.CONSOLE_OIDC_LOGOUT_URL ? { logoutUrl: e.CONSOLE_OIDC_LOGOUT_URL } : {}),
      baseUrl,
      allowInsecureRequests: insecure,
      // The console's cookies are set on the console's host, so its scheme decides.
      secureCookies: baseUrl.startsWith('https://'),
    },
  };
}

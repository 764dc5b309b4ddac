import * as oauth from 'oauth4webapi';
import { SignInError, UnavailableError } from '../core/errors';

/**
 * The console's OpenID Connect client (authorization code with PKCE S256, `state` and `nonce`),
 * the same code for a Cognito user pool in AWS and the local stack's `oidc-provider`: the
 * provider's endpoints come from its discovery document, read once and kept for the process.
 * No client secret: the code is bound to the PKCE verifier kept server-side, and the token
 * endpoint is called from the function, never the browser.
 */
export interface RelyingPartyOptions {
  issuer: string;
  clientId: string;
  /** Where the provider sends the browser back: `${CONSOLE_BASE_URL}/console/callback`, as the provider has it registered. */
  redirectUri: string;
  /** Where the provider sends the browser after signing out. */
  postLogoutRedirectUri: string;
  /** Cognito's `https://<domain>/logout`, for a provider whose discovery has no end-session endpoint. */
  logoutUrl?: string;
  /** Plain HTTP to the provider: the local stack and the tests only (functions/config.ts). */
  allowInsecureRequests: boolean;
  /** What one call to the provider may take. @default 5000 */
  timeoutMs?: number;
}

/** One sign-in's secrets, kept server-side until the provider sends the browser back. */
export interface LoginSecrets {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface RelyingParty {
  newLoginSecrets(): LoginSecrets;
  /** The provider's authorization URL for these secrets. */
  authorizationUrl(secrets: LoginSecrets): Promise<URL>;
  /** Checks the callback against the secrets, redeems the code and returns the ID token's checked claims. */
  redeem(callbackUrl: URL, secrets: LoginSecrets): Promise<{ claims: Record<string, unknown>; idToken: string }>;
  /** Where to send the browser to end the provider's session too. */
  logoutUrl(idToken: string | undefined): Promise<URL>;
  /** Origins the browser is sent to (the logout form's redirect), for the pages' `form-action`. */
  origins(): string[];
}

export function createRelyingParty(o: RelyingPartyOptions): RelyingParty {
  const client: oauth.Client = { client_id: o.clientId, token_endpoint_auth_method: 'none' };
  const clientAuth = oauth.None();
  const timeout = o.timeoutMs ?? 5000;
  const http = { signal: () => AbortSignal.timeout(timeout), ...(o.allowInsecureRequests ? { [oauth.allowInsecureRequests]: true } : {}) };
  const issuer = new URL(o.issuer);
  let discovered: Promise<oauth.AuthorizationServer> | undefined;

  const server = () => {
    discovered ??= oauth
      .discoveryRequest(issuer, { algorithm: 'oidc', ...http })
      .then((res) => oauth.processDiscoveryResponse(issuer, res))
      .catch((cause: unknown) => {
        // Asked again on the next sign-in: a provider that was down may be up by then.
        discovered = undefined;
        throw new UnavailableError('The sign-in provider could not be reached.', 5, { cause });
      });
    return discovered;
  };

  return {
    newLoginSecrets: () => ({ state: oauth.generateRandomState(), nonce: oauth.generateRandomNonce(), codeVerifier: oauth.generateRandomCodeVerifier() }),

    async authorizationUrl(secrets) {
      const as = await server();
      if (!as.authorization_endpoint) throw new UnavailableError('The sign-in provider names no authorization endpoint.');
      const url = new URL(as.authorization_endpoint);
      url.search = new URLSearchParams({
        client_id: o.clientId,
        response_type: 'code',
        scope: 'openid',
        redirect_uri: o.redirectUri,
        state: secrets.state,
        nonce: secrets.nonce,
        code_challenge: await oauth.calculatePKCECodeChallenge(secrets.codeVerifier),
        code_challenge_method: 'S256',
        // The password (and in AWS the MFA code) every time: the provider's own session would
        // otherwise sign a person back in without either after the console's 30 idle minutes.
        prompt: 'login',
      }).toString();
      return url;
    },

    async redeem(callbackUrl, secrets) {
      const as = await server();
      let params: URLSearchParams;
      try {
        params = oauth.validateAuthResponse(as, client, callbackUrl, secrets.state);
      } catch (cause) {
        throw new SignInError(cause instanceof oauth.AuthorizationResponseError ? 'provider-error' : 'state', { cause });
      }
      let result: oauth.TokenEndpointResponse;
      try {
        const res = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, o.redirectUri, secrets.codeVerifier, http);
        result = await oauth.processAuthorizationCodeResponse(as, client, res, { expectedNonce: secrets.nonce, requireIdToken: true });
      } catch (cause) {
        if (cause instanceof oauth.ResponseBodyError) throw new SignInError('code', { cause });
        if (cause instanceof oauth.OperationProcessingError || cause instanceof oauth.UnsupportedOperationError) throw new SignInError('id-token', { cause });
        throw new UnavailableError('The sign-in provider could not be reached.', 5, { cause });
      }
      const claims = oauth.getValidatedIdTokenClaims(result);
      if (!claims || !result.id_token) throw new SignInError('id-token');
      return { claims: { ...claims }, idToken: result.id_token };
    },

    async logoutUrl(idToken) {
      if (o.logoutUrl) {
        // Cognito's logout endpoint takes client_id and logout_uri (one of the app client's sign-out URLs).
        const url = new URL(o.logoutUrl);
        url.search = new URLSearchParams({ client_id: o.clientId, logout_uri: o.postLogoutRedirectUri }).toString();
        return url;
      }
      const as = await server();
      if (!as.end_session_endpoint) return new URL(o.postLogoutRedirectUri);
      const url = new URL(as.end_session_endpoint);
      url.search = new URLSearchParams({
        client_id: o.clientId,
        post_logout_redirect_uri: o.postLogoutRedirectUri,
        ...(idToken ? { id_token_hint: idToken } : {}),
      }).toString();
      return url;
    },

    origins: () => [...new Set([issuer.origin, ...(o.logoutUrl ? [new URL(o.logoutUrl).origin] : [])])],
  };
}

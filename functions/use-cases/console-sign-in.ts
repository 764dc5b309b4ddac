import { createHash, randomBytes } from 'node:crypto';
import type { Locale } from '../core/brands';
import type { Clock } from '../core/clock';
import { epochSeconds } from '../core/clock';
import {
  type ConsoleSession,
  GROUPS_CLAIM,
  LOGIN_ATTEMPT_MS,
  returnPathOf,
  rolesOf,
  SESSION_LIFETIME_MS,
  sessionStatus,
  shouldTouch,
  USERNAME_CLAIM,
  usernameOf,
} from '../core/console-session';
import { ForbiddenError, SignInError } from '../core/errors';
import type { RelyingParty } from '../oidc/relying-party';
import type { Db } from '../store/client';
import { deleteSession, getSession, putLoginAttempt, putSession, takeLoginAttempt, touchSession } from '../store/console-sessions';

/** What the console's sign-in uses: the table, the clock and the OpenID Connect client. */
export interface SignInPorts {
  db: Db;
  clock: Clock;
  rp: RelyingParty;
}

/** 256 random bits, URL-safe: the ids cookies carry. */
const newId = () => randomBytes(32).toString('base64url');
/** The table keeps only this of a cookie's id. */
const hashOf = (id: string) => createHash('sha256').update(id).digest('base64url');
/** What a cookie may hold: exactly the shape of an id, so that nothing else reaches the table. */
const isId = (v: string | undefined): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{43}$/.test(v);

/**
 * Starts a sign-in:
 * 1. make the attempt's secrets (state, nonce, PKCE verifier) and an id for its cookie;
 * 2. keep them in the table for 10 minutes under the id's hash, with where to return;
 * 3. answer the cookie's id and the provider's authorization URL.
 */
export async function startSignIn(p: SignInPorts, returnTo: string | undefined): Promise<{ attemptId: string; location: URL }> {
  const secrets = p.rp.newLoginSecrets();
  const attemptId = newId();
  const expiresAt = epochSeconds(new Date(p.clock.now().getTime() + LOGIN_ATTEMPT_MS));
  await putLoginAttempt(p.db, hashOf(attemptId), { ...secrets, returnTo: returnPathOf(returnTo) }, expiresAt);
  return { attemptId, location: await p.rp.authorizationUrl(secrets) };
}

/**
 * Finishes a sign-in when the provider sends the browser back:
 * 1. take the attempt named by the browser's cookie out of the table (once: a replay finds none);
 * 2. check the callback's state, redeem the code with the verifier, check the ID token (issuer,
 *    audience, expiry, nonce);
 * 3. read the username and the roles from the token's groups; none known is a refusal;
 * 4. write the session (8 hours at most) with its CSRF token; answer its id and where to go.
 */
export async function finishSignIn(p: SignInPorts, attemptId: string | undefined, callbackUrl: URL): Promise<{ sessionId: string; returnTo: string }> {
  const now = p.clock.now();
  const attempt = isId(attemptId) ? await takeLoginAttempt(p.db, hashOf(attemptId), epochSeconds(now)) : undefined;
  if (!attempt) throw new SignInError('state');
  const { claims, idToken } = await p.rp.redeem(callbackUrl, attempt);
  const username = usernameOf(claims[USERNAME_CLAIM]);
  if (!username) throw new SignInError('id-token');
  const roles = rolesOf(claims[GROUPS_CLAIM]);
  if (roles.length === 0) throw new ForbiddenError('This account has no role in the console.');
  const sessionId = newId();
  const at = now.toISOString();
  const session: ConsoleSession = { username, roles, csrfToken: newId(), createdAt: at, lastUsedAt: at, idToken };
  await putSession(p.db, hashOf(sessionId), session, epochSeconds(new Date(now.getTime() + SESSION_LIFETIME_MS)));
  return { sessionId, returnTo: attempt.returnTo };
}

/**
 * The live session a cookie names, or nothing (no cookie, a tampered or unknown one, a session
 * past its 8 hours or idle for 30 minutes, which is then deleted). A use is written down at most
 * once a minute, and with it the language when `locale` changes it.
 */
export async function useSession(p: Pick<SignInPorts, 'db' | 'clock'>, sessionId: string | undefined, locale?: Locale): Promise<ConsoleSession | undefined> {
  if (!isId(sessionId)) return undefined;
  const idHash = hashOf(sessionId);
  const session = await getSession(p.db, idHash);
  if (!session) return undefined;
  const now = p.clock.now();
  if (sessionStatus(session, now) !== 'live') {
    await deleteSession(p.db, idHash);
    return undefined;
  }
  const newLocale = locale && locale !== session.locale ? locale : undefined;
  if (newLocale || shouldTouch(session, now)) {
    // Lost to a concurrent request's write: that one recorded the use.
    await touchSession(p.db, idHash, session.lastUsedAt, now.toISOString(), newLocale);
  }
  return { ...session, ...(newLocale ? { locale: newLocale } : {}) };
}

/**
 * Signs out: reads the session for its ID token (the provider's `id_token_hint`), deletes it, and
 * answers where the provider ends its own session.
 */
export async function endSession(p: SignInPorts, sessionId: string | undefined): Promise<URL> {
  return p.rp.logoutUrl(await forgetSession(p, sessionId));
}

/** Deletes the session a cookie names, if any; answers its ID token (for the provider's logout). */
export async function forgetSession(p: Pick<SignInPorts, 'db'>, sessionId: string | undefined): Promise<string | undefined> {
  if (!isId(sessionId)) return undefined;
  const idHash = hashOf(sessionId);
  const idToken = (await getSession(p.db, idHash))?.idToken;
  await deleteSession(p.db, idHash);
  return idToken;
}

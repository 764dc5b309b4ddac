import type { Locale } from './brands';

/** The two kinds of operator of the console (CONTRACT.md "Console"), named as the HTTP seam names them. */
export type OperatorRole = 'officer' | 'marketer';

/** How long a console session lives at most, and without use (CONTRACT.md "Console"). */
export const SESSION_LIFETIME_MS = 8 * 60 * 60 * 1000;
export const SESSION_IDLE_MS = 30 * 60 * 1000;
/**
 * A session's last use is written at most this often: a write per request would double the cost
 * of every page, and a minute is nothing against the 30-minute idle limit.
 */
export const SESSION_TOUCH_EVERY_MS = 60 * 1000;
/** A sign-in started and not finished is forgotten after this. */
export const LOGIN_ATTEMPT_MS = 10 * 60 * 1000;

/**
 * The ID token's claims that name the operator. Cognito's names; the local provider issues the
 * same claims, so that one code path reads both.
 */
export const USERNAME_CLAIM = 'cognito:username';
export const GROUPS_CLAIM = 'cognito:groups';

/** User pool groups and the role each gives. */
export const GROUP_ROLES: ReadonlyMap<string, OperatorRole> = new Map([
  ['privacy-officer', 'officer'],
  ['marketing', 'marketer'],
]);

/** What the table keeps of a signed-in operator. Times are ISO strings. */
export interface ConsoleSession {
  username: string;
  roles: OperatorRole[];
  csrfToken: string;
  createdAt: string;
  lastUsedAt: string;
  /** The language the operator chose with `?lang=`, when they chose one. */
  locale?: Locale;
  /** Kept only to name the session to the provider when signing out (`id_token_hint`). */
  idToken?: string;
}

export type SessionStatus = 'live' | 'expired' | 'idle';

/** Whether a session may still be used at `now`: 8 hours after sign-in at most, 30 minutes after its last use. */
export function sessionStatus(s: Pick<ConsoleSession, 'createdAt' | 'lastUsedAt'>, now: Date): SessionStatus {
  const t = now.getTime();
  if (t >= Date.parse(s.createdAt) + SESSION_LIFETIME_MS) return 'expired';
  if (t >= Date.parse(s.lastUsedAt) + SESSION_IDLE_MS) return 'idle';
  return 'live';
}

/** Whether this use of a live session should be written down as its last use. */
export const shouldTouch = (s: Pick<ConsoleSession, 'lastUsedAt'>, now: Date): boolean => now.getTime() - Date.parse(s.lastUsedAt) >= SESSION_TOUCH_EVERY_MS;

/** The roles the token's groups give, in a fixed order; groups the console does not know give none. */
export function rolesOf(groups: unknown): OperatorRole[] {
  const list = Array.isArray(groups) ? groups : typeof groups === 'string' ? [groups] : [];
  const roles = new Set<OperatorRole>();
  for (const g of list) {
    const role = typeof g === 'string' ? GROUP_ROLES.get(g) : undefined;
    if (role) roles.add(role);
  }
  return (['officer', 'marketer'] as const).filter((r) => roles.has(r));
}

/** The operator's username from the token, when it is a usable one (printable, bounded). */
export function usernameOf(claim: unknown): string | undefined {
  return typeof claim === 'string' && /^[\x21-\x7e]{1,128}$/.test(claim) ? claim : undefined;
}

/**
 * Where to go after signing in: a console path of this site, or the console's start. Only what
 * this site wrote is kept (the attempt is server-side), but the check keeps `//host` and `\` out
 * all the same.
 */
export function returnPathOf(path: string | undefined): string {
  if (!path || path.length > 1024) return '/console';
  if (!/^\/console(?:[/?]|$)/.test(path) || /[\\\s]|\/\//.test(path)) return '/console';
  return path;
}

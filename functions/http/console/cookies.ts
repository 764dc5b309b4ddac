import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import { LOGIN_ATTEMPT_MS, SESSION_LIFETIME_MS } from '../../core/console-session';

/**
 * The console's two cookies. Their names are their own: the local `oidc-provider` sets `_session`,
 * `_interaction` and `_interaction_resume` on the same host (cookies ignore the port), and a
 * Cognito domain is another host.
 */
export const SESSION_COOKIE = 'pp_console';
/** Binds a sign-in attempt to the browser that started it; read once, by the callback. */
export const LOGIN_COOKIE = 'pp_console_login';

/**
 * `SameSite=Lax`: the provider's redirect back to the callback is a top-level GET from another
 * site, which must carry the attempt's cookie; a POST from another site carries neither (and
 * would fail the CSRF check anyway).
 */
const options = (secure: boolean, maxAgeMs: number): CookieOptions => ({
  httpOnly: true,
  sameSite: 'Lax',
  path: '/console',
  secure,
  maxAge: Math.floor(maxAgeMs / 1000),
});

export const readCookie = (c: Context, name: string) => getCookie(c, name);
export const setSessionCookie = (c: Context, id: string, secure: boolean) => setCookie(c, SESSION_COOKIE, id, options(secure, SESSION_LIFETIME_MS));
export const setLoginCookie = (c: Context, id: string, secure: boolean) => setCookie(c, LOGIN_COOKIE, id, options(secure, LOGIN_ATTEMPT_MS));
export const clearCookie = (c: Context, name: string, secure: boolean) => deleteCookie(c, name, { path: '/console', secure, httpOnly: true, sameSite: 'Lax' });

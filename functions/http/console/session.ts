import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { LOCALES, type Locale } from '../../core/brands';
import { PayloadTooLargeError } from '../../core/errors';
import { type SignInPorts, startSignIn, useSession } from '../../use-cases/console-sign-in';
import { answerFor } from '../errors';
import { CSP } from '../pages/headers';
import { pickLocale } from '../pages/locale';
import { CsrfRejectedError, consoleErrorPage } from './auth-pages';
import { type ConsoleEnv, CSRF_FIELD } from './context';
import { readCookie, SESSION_COOKIE, setLoginCookie } from './cookies';
import { consoleErrorResponse, FormTooLargeError } from './pages/errors';
import { checkRole, RoleRequiredError } from './roles';

/** Console paths that need no session: the sign-in's own steps and the page after signing out. */
export const LOGOUT_PATH = '/console/logout';

export const OPEN_PATHS = new Set(['/console/login', '/console/callback', '/console/signed-out']);

const chosenLocale = (lang: string | undefined): Locale | undefined =>
  (LOCALES as readonly string[]).find((l) => l === lang?.toLowerCase()) as Locale | undefined;
const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The public pages' headers, with `form-action` widened to the provider: signing out posts a
 * form whose answer redirects there, and browsers hold a form's redirects to `form-action`.
 */
export function consoleHeaders(providerOrigins: string[]): MiddlewareHandler<ConsoleEnv> {
  const csp = CSP.replace("form-action 'self'", ["form-action 'self'", ...providerOrigins].join(' '));
  return async (c, next) => {
    await next();
    if (c.res.headers.get('content-type')?.startsWith('text/html')) c.res.headers.set('Content-Security-Policy', csp);
  };
}

/** Every error under /console answers a console page (the status from the error table), never JSON. */
export function consoleErrors(): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    await next();
    if (!c.error) return;
    const locale = c.get('locale') ?? pickLocale(undefined, c.req.query('lang'), c.req.header('accept-language'));
    const err = c.error;
    // A route's role and a form's body over its limit are refused here, once the session is
    // known: a page of the signed-in console (with the way back to the form), as the pages' own.
    if ((err instanceof RoleRequiredError || err instanceof PayloadTooLargeError) && c.get('operator')) {
      c.res = undefined;
      c.res = await consoleErrorResponse(c, err);
      return;
    }
    const known = answerFor(err);
    if (!known) c.get('log')?.error('unhandled error', { error: err });
    else if (known.status >= 500) c.get('log')?.warn('request failed', { error: err, code: known.code });
    c.res = undefined;
    c.res = await consoleErrorPage(c, err, locale, c.get('requestId'));
  };
}

/** Sends the browser to the provider, to come back to `returnTo` once signed in. */
export async function redirectToProvider(c: Parameters<MiddlewareHandler<ConsoleEnv>>[0], p: SignInPorts, secure: boolean, returnTo: string) {
  const { attemptId, location } = await startSignIn(p, returnTo);
  setLoginCookie(c, attemptId, secure);
  return c.redirect(location.toString(), c.req.method === 'GET' || c.req.method === 'HEAD' ? 302 : 303);
}

/**
 * The console's limit for a form's body (the app-wide one, which skips the console: see
 * `ownBodyLimits`), answered with a console page. A declared Content-Length over it is refused
 * before anything is read; a body without one is read up to the limit and no further.
 */
export const limitFormBody = (maxBytes: number) =>
  bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new FormTooLargeError(maxBytes);
    },
  });

export interface BodyLimits {
  /** Every form's. */
  forms: MiddlewareHandler;
  /** A route's own in its place (`METHOD /path`), e.g. a file import's larger one. */
  routes?: ReadonlyMap<string, MiddlewareHandler>;
}

/**
 * Every console request but the open ones: the session its cookie names, or off to the provider
 * (a request without a live session never reaches a page), and the role the route needs
 * (`checkRole`, 403 with nothing read). Then, for anything but GET and HEAD, the body's limit (the
 * route's own, else the forms') and the session's CSRF token from the form field `csrf` (or the
 * header `X-CSRF-Token`), compared in constant time, before any route runs. Sets the operator, the
 * token and the language (`?lang=`, remembered in the session, then Accept-Language).
 */
export function requireSession(p: SignInPorts, secure: boolean, limits: BodyLimits): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    if (OPEN_PATHS.has(c.req.path)) return next();
    const chosen = chosenLocale(c.req.query('lang'));
    const session = await useSession(p, readCookie(c, SESSION_COOKIE), chosen);
    const safe = c.req.method === 'GET' || c.req.method === 'HEAD';
    if (!session) {
      // Signing out with a session that has already ended still ends the provider's; sending it
      // to the provider instead would sign the person straight back in.
      if (c.req.path === LOGOUT_PATH && c.req.method === 'POST') return next();
      const url = new URL(c.req.url);
      return redirectToProvider(c, p, secure, safe ? `${url.pathname}${url.search}` : '/console');
    }
    const operator = { username: session.username, roles: session.roles };
    c.set('operator', operator);
    c.set('csrfToken', session.csrfToken);
    c.set('locale', chosen ?? session.locale ?? pickLocale(undefined, undefined, c.req.header('accept-language')));
    // Before the body: an operator without the route's role has nothing of it read or limited.
    checkRole(operator, c.req.method, c.req.path);
    if (safe) return next();
    const checkCsrf = async () => {
      const sent = await csrfSent(c);
      if (!sent || !timingSafeEqual(digest(sent), digest(session.csrfToken))) throw new CsrfRejectedError();
      await next();
    };
    // Reading the token reads the form: the body's limit goes first, once the session is known (a
    // request without one never has its body read), and holds for the route's reading too.
    const limit = limits.routes?.get(`${c.req.method} ${c.req.path}`) ?? limits.forms;
    await limit(c, checkCsrf);
  };
}

async function csrfSent(c: Parameters<MiddlewareHandler<ConsoleEnv>>[0]): Promise<string | undefined> {
  const header = c.req.header('x-csrf-token');
  if (header) return header;
  if (!/^(?:application\/x-www-form-urlencoded|multipart\/form-data)\s*(?:;|$)/i.test(c.req.header('content-type') ?? '')) return undefined;
  // Read through Hono's body cache, so that the route reads the same form again.
  const form = await c.req.parseBody({ all: true }).catch(() => undefined);
  const value = form?.[CSRF_FIELD];
  return typeof value === 'string' ? value : undefined;
}

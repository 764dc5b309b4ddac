import { Hono } from 'hono';
import { StartupError } from '../../core/errors';
import type { Deps } from '../../deps';
import { endSession, finishSignIn, forgetSession, type SignInPorts } from '../../use-cases/console-sign-in';
import type { RouteGroup } from '../app';
import { pickLocale } from '../pages/locale';
import { newRouter } from '../router';
import { signedOutPage } from './auth-pages';
import type { ConsoleEnv } from './context';
import { clearCookie, LOGIN_COOKIE, readCookie, SESSION_COOKIE, setSessionCookie } from './cookies';
import { consolePages } from './pages';
import { CONSOLE_IMPORT_PATH, limitImportBody } from './pages/suppression-actions';
import { consoleErrors, consoleHeaders, LOGOUT_PATH, limitFormBody, redirectToProvider, requireSession } from './session';

/** The console's forms that take more than its forms' body limit, each with a limit of its own. */
const OWN_BODY_LIMITS = new Map([[`POST ${CONSOLE_IMPORT_PATH}`, limitImportBody]]);

/**
 * The console under /console: the sign-in (GET /console/login, GET /console/callback, POST
 * /console/logout, GET /console/signed-out) and, behind the session and CSRF middleware, the
 * pages. People use it, not API clients, so it is not part of the API document.
 */
export const consoleRoutes: RouteGroup = (deps: Deps) => {
  const rp = deps.consoleRp;
  const secure = deps.config.console?.secureCookies ?? true;
  if (!rp) throw new StartupError('the console needs CONSOLE_OIDC_ISSUER and CONSOLE_OIDC_CLIENT_ID');
  const p: SignInPorts = { db: deps.db, clock: deps.clock, rp };

  const app = new Hono<ConsoleEnv>();
  const limits = { forms: limitFormBody(deps.config.maxBodyBytes), routes: OWN_BODY_LIMITS };
  app.use('/console/*', consoleHeaders(rp.origins()), consoleErrors(), requireSession(p, secure, limits));

  app.get('/console/login', (c) => redirectToProvider(c, p, secure, '/console'));

  app.get('/console/callback', async (c) => {
    const attemptId = readCookie(c, LOGIN_COOKIE);
    clearCookie(c, LOGIN_COOKIE, secure);
    const { sessionId, returnTo } = await finishSignIn(p, attemptId, new URL(c.req.url));
    // A browser signing in again gives up the session it had: a copy of the old cookie is refused.
    await forgetSession(p, readCookie(c, SESSION_COOKIE));
    setSessionCookie(c, sessionId, secure);
    return c.redirect(returnTo, 303);
  });

  app.post(LOGOUT_PATH, async (c) => {
    const location = await endSession(p, readCookie(c, SESSION_COOKIE));
    clearCookie(c, SESSION_COOKIE, secure);
    return c.redirect(location.toString(), 303);
  });

  app.get('/console/signed-out', (c) => signedOutPage(c, pickLocale(undefined, c.req.query('lang'), c.req.header('accept-language'))));

  app.route('/', consolePages(deps));
  const r = newRouter();
  r.route('/', app as unknown as Hono);
  return r;
};
// Every body under /console is limited by the console's sign-in, once the session is known.
consoleRoutes.ownBodyLimits = ['/console'];

import { randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { buildApp } from '../../functions/http/app';
import { type ConsoleEnv, type ConsoleRole, CSRF_FIELD } from '../../functions/http/console/context';
import { consolePages } from '../../functions/http/console/pages';
import { pickLocale } from '../../functions/http/pages/locale';
import { newRouter } from '../../functions/http/router';
import type { TestStack } from './stack';

/**
 * STANDS IN FOR THE CONSOLE'S SIGN-IN while the pages are tested on their own: it puts an
 * operator of the given role, a CSRF token and the locale on the context, and refuses a POST
 * without that token (403), as the real sign-in middleware does. The sign-in itself (OpenID
 * Connect, sessions, the real CSRF check) is tested with the real provider on its own; every page
 * test goes through `consoleAs` so that it can be switched to the real sign-in in one place.
 */
export interface ConsoleClient {
  /** `app.request` of an app serving the console as this operator. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** A form POST (urlencoded, or multipart for FormData) with the CSRF field added. */
  post(path: string, fields: [string, string][] | FormData, headers?: Record<string, string>): Promise<Response>;
  /** The app, for serving it over HTTP (the browser test). */
  fetch(req: Request): Response | Promise<Response>;
  csrf: string;
  username: string;
}

export function consoleAs(stack: TestStack, role: ConsoleRole, opts: { username?: string } = {}): ConsoleClient {
  const username = opts.username ?? role;
  const csrf = randomBytes(16).toString('base64url');
  const standIn: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
    c.set('operator', { username, roles: [role] });
    c.set('csrfToken', csrf);
    c.set('locale', pickLocale(undefined, c.req.query('lang'), c.req.header('accept-language')));
    if (c.req.method === 'POST') {
      const form = await c.req.formData().catch(() => undefined);
      if (form?.get(CSRF_FIELD) !== csrf) return c.text('CSRF token missing or wrong', 403);
    }
    await next();
  };
  const app = buildApp(stack.deps, [
    () => {
      const r = newRouter();
      r.use('/console', standIn as never);
      r.use('/console/*', standIn as never);
      r.route('/', consolePages(stack.deps) as never);
      return r;
    },
  ]);
  const request = async (path: string, init?: RequestInit) => app.request(path, init);
  return {
    request,
    fetch: (req) => app.fetch(req),
    post: (path, fields, headers = {}) => {
      if (fields instanceof FormData) {
        fields.set(CSRF_FIELD, csrf);
        return request(path, { method: 'POST', body: fields, headers: { accept: 'text/html', ...headers } });
      }
      const body = new URLSearchParams([...fields, [CSRF_FIELD, csrf]]).toString();
      return request(path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...headers } });
    },
    csrf,
    username,
  };
}

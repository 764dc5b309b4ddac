import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';

/**
 * Headers for every HTML page: a CSP with no inline script (the pages have no script at all),
 * no framing, no referrer (page URLs carry tokens), and no caching of personal pages.
 */
export const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const pageHeaders = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  await next();
  if (!c.res.headers.get('content-type')?.startsWith('text/html')) return;
  // A page group that widens the policy (the console's form-action) has set its own already.
  if (!c.res.headers.has('Content-Security-Policy')) c.res.headers.set('Content-Security-Policy', CSP);
  c.res.headers.set('X-Frame-Options', 'DENY');
  c.res.headers.set('Referrer-Policy', 'no-referrer');
  c.res.headers.set('X-Content-Type-Options', 'nosniff');
  c.res.headers.set('Cache-Control', 'no-store');
};

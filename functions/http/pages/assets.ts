import type { Deps } from '../../deps';
import { newRouter } from '../router';
import { SITE_CSS } from './site-css';

/** Static assets of the pages. Public, cacheable, and never anything personal. */
export function assetRoutes(_deps: Deps) {
  const r = newRouter();
  r.get('/assets/site.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    c.header('X-Content-Type-Options', 'nosniff');
    return c.body(SITE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
  return r;
}

import { createRoute } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { z } from '../openapi-zod';
import { newRouter } from '../router';
import { SITE_CSS } from './site-css';

const siteCss = createRoute({
  method: 'get',
  path: '/assets/site.css',
  operationId: 'getSiteCss',
  summary: 'The style sheet of the pages',
  description: 'Public and cacheable for an hour; never anything personal.',
  tags: ['pages'],
  responses: { 200: { description: 'CSS', content: { 'text/css': { schema: z.string() } } } },
});

/** Static assets of the pages. Public, cacheable, and never anything personal. */
export function assetRoutes(_deps: Deps) {
  const r = newRouter();
  r.openapi(siteCss, (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    c.header('X-Content-Type-Options', 'nosniff');
    return c.body(SITE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' }) as never;
  });
  return r;
}

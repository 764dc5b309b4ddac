import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { checkHealth } from '../../use-cases/check-health';
import { newRouter } from '../router';
import { errorSchema } from '../schemas';

const route = createRoute({
  method: 'get',
  path: '/health',
  summary: 'Liveness and store reachability',
  tags: ['health'],
  responses: {
    200: { description: 'The store answers', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } } },
    503: { description: 'The store does not answer', content: { 'application/json': { schema: errorSchema } } },
  },
});

export function healthRoutes(deps: Deps) {
  return newRouter().openapi(route, async (c) => {
    await checkHealth(deps);
    return c.json({ status: 'ok' as const }, 200);
  });
}

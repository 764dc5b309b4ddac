import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { checkHealth } from '../../use-cases/check-health';
import { newRouter } from '../router';
import { errors } from '../schemas';

const route = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'getHealth',
  summary: 'Liveness and store reachability',
  description: 'Answers 200 only when the store answers (one read), 503 with Retry-After otherwise, within 5 seconds.',
  tags: ['health'],
  responses: {
    200: { description: 'The store answers', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } } },
    ...errors('json', { 503: 'unavailable: the store does not answer' }),
  },
});

export function healthRoutes(deps: Deps) {
  return newRouter().openapi(route, async (c) => {
    await checkHealth(deps);
    return c.json({ status: 'ok' as const }, 200);
  });
}

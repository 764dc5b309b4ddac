import { createRoute } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { showSubscriber } from '../../use-cases/show-subscriber';
import { requireAdmin } from '../middleware';
import { z } from '../openapi-zod';
import { newRouter } from '../router';
import { emailPathParams, errors } from '../schemas';

const route = createRoute({
  method: 'get',
  path: '/admin/subscribers/{email}',
  operationId: 'showSubscriber',
  summary: 'Everything held about an address, across brands',
  description:
    'The profile (topic states of every brand, suppressions, status), the consent ledger oldest first, the suppression index entries, the sends made to it, its inquiry references and any other item kept under the address; and whether an erasure kept a sealed proof of consent, and until when (its content only at GET /admin/consent-proofs/{email}).',
  tags: ['privacy officer'],
  security: [{ adminBearer: [] }],
  request: {
    params: emailPathParams,
  },
  responses: {
    200: {
      description: 'The records',
      content: {
        'application/json': {
          schema: z
            .object({
              emailId: z.string(),
              profile: z.record(z.string(), z.unknown()).nullable(),
              ledger: z.array(z.record(z.string(), z.unknown())),
              suppressions: z.array(z.record(z.string(), z.unknown())),
              sends: z.array(z.record(z.string(), z.unknown())),
              inquiryRefs: z.array(z.string()),
              other: z.array(z.record(z.string(), z.unknown())),
              consentProof: z
                .object({ held: z.literal(true), deleteAfter: z.string().openapi({ format: 'date-time' }) })
                .nullable()
                .openapi({ description: 'Held after an erasure until `deleteAfter`; null when none is held.' }),
            })
            .openapi('SubscriberRecords'),
        },
      },
    },
    ...errors('json', { 400: 'invalid-request: not an address', 401: true, 404: 'not-found: nothing is held about the address', 503: true }),
  },
});

/** GET /admin/subscribers/{email} for the privacy officer (access requests, disputes, support). */
export function adminSubscriberRoutes(deps: Deps) {
  const router = newRouter();
  router.use('/admin/subscribers/*', requireAdmin(deps.config));
  return router.openapi(route, async (c) => {
    const r = await showSubscriber(deps, c.req.valid('param'));
    c.get('log').info('subscriber shown', { ledger: r.ledger.length, suppressions: r.suppressions.length });
    // Sets (the transient-bounce counter's event ids) do not survive JSON.stringify.
    const plain = JSON.parse(JSON.stringify(r, (_k, v) => (v instanceof Set ? [...v] : v)));
    return c.json({ ...plain, profile: plain.profile ?? null }, 200);
  });
}

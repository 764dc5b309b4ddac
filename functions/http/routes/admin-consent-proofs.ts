import { createRoute } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { showConsentProof } from '../../use-cases/show-consent-proof';
import { requireAdmin } from '../middleware';
import { z } from '../openapi-zod';
import { newRouter } from '../router';
import { emailPathParams, errors } from '../schemas';

const consent = z
  .object({
    seq: z.number().int(),
    contentHash: z.string(),
    type: z.string(),
    at: z.string().openapi({ format: 'date-time' }),
    source: z.string(),
    changes: z.array(z.object({ brand: z.string().optional(), topic: z.string().optional(), from: z.string().optional(), to: z.string() })),
    wording: z.string().optional(),
    policyVersion: z.string().optional(),
    ip: z.string().optional(),
    userAgent: z.string().optional(),
    by: z.string().optional(),
    reason: z.string().optional(),
    ref: z.string().optional(),
  })
  .openapi('ProofConsent');

const route = createRoute({
  method: 'get',
  path: '/admin/consent-proofs/{email}',
  operationId: 'showConsentProof',
  summary: 'The sealed proof of consent an erasure kept, opened',
  description:
    'After an erasure, the proof of the marketing consents of the address (the address, and per consent when, how, the wording shown and the policy version, as the ledger recorded them) is kept sealed until `deleteAfter`: one calendar month after the later of the erasure and the last marketing mail. `matchesLedger` says whether the redacted ledger still verifies and holds each of these events at its place.',
  tags: ['privacy officer'],
  security: [{ adminBearer: [] }],
  request: {
    params: emailPathParams,
  },
  responses: {
    200: {
      description: 'The proof',
      content: {
        'application/json': {
          schema: z
            .object({
              email: z.string(),
              consents: z.array(consent),
              erasedAt: z.string().openapi({ format: 'date-time' }),
              lastMarketingSendAt: z.string().optional().openapi({ format: 'date-time' }),
              deleteAfter: z.string().openapi({ format: 'date-time' }),
              matchesLedger: z.boolean(),
            })
            .openapi('ConsentProof'),
        },
      },
    },
    ...errors('json', {
      400: 'invalid-request: not an address',
      401: true,
      404: 'not-found: no proof is held for the address (none, or past its deleteAfter)',
      503: true,
    }),
  },
});

/** GET /admin/consent-proofs/{email}: the one place a sealed proof of consent is opened. */
export function adminConsentProofRoutes(deps: Deps) {
  const router = newRouter();
  router.use('/admin/consent-proofs/*', requireAdmin(deps.config));
  return router.openapi(route, async (c) => {
    const proof = await showConsentProof(deps, c.req.valid('param'));
    c.get('log').info('consent proof opened', { consents: proof.consents.length });
    return c.json(proof, 200);
  });
}

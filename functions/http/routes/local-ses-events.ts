import { createRoute, z } from '@hono/zod-openapi';
import { ValidationError } from '../../core/errors';
import { parseSesEvent } from '../../core/ses-events';
import type { Deps } from '../../deps';
import { applyFeedback, type SesEventResult } from '../../use-cases/apply-ses-event';
import { requireAdmin, requireBody } from '../middleware';
import { newRouter } from '../router';
import { errorResponses, errorSchema } from '../schemas';

/** How many events one local call may inject. */
const MAX_EVENTS = 100;

// Checked by parseSesEvent, which names each bad field of each event; the route only documents it.
const eventsSchema = z.any().openapi('EventBridgeEvents', {
  description:
    'One EventBridge event as SES publishes it (`{"version", "id", "detail-type", "source": "aws.ses", "time", "detail": {...}}`), or an array of them.',
});

const resultSchema = z
  .object({
    eventId: z.string(),
    status: z.enum(['applied', 'duplicate', 'ignored']),
    kind: z.enum(['bounce', 'complaint', 'delivery', 'reject']).optional(),
    detailType: z.string().optional(),
    recipientCount: z.number().optional(),
    suppressed: z.number().optional(),
    invalidRecipients: z.number().optional(),
  })
  .openapi('SesEventResult');

const route = createRoute({
  method: 'post',
  path: '/local/ses-events',
  summary: 'Inject SES feedback events (local stack only)',
  description:
    'Takes the EventBridge event JSON that SES publishes in AWS ("Email Bounced", "Email Complaint Received", "Email Delivered", "Email Rejected"; other detail-types are ignored), one event or an array of up to 100, and applies it with the same code as the Lambda handler. Every event is validated before any is applied.',
  tags: ['local'],
  security: [{ adminBearer: [] }],
  middleware: [requireBody('json')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: eventsSchema } } } },
  responses: {
    200: { description: 'What each event did, in order', content: { 'application/json': { schema: z.object({ results: z.array(resultSchema) }) } } },
    401: { description: 'No or a wrong admin token', content: { 'application/json': { schema: errorSchema } } },
    ...errorResponses,
  },
});

export function localSesEventRoutes(deps: Deps) {
  const router = newRouter();
  router.use('/local/ses-events', requireAdmin(deps.config));
  return router.openapi(route, async (c) => {
    const body: unknown = await c.req.json();
    const events = Array.isArray(body) ? body : [body];
    if (events.length === 0 || events.length > MAX_EVENTS) {
      throw new ValidationError('Send between 1 and 100 events.', [{ path: '(body)', message: `between 1 and ${MAX_EVENTS} events` }]);
    }
    // All or nothing at the door: a malformed event in the batch applies none of them.
    const parsed = events.map((e, i) => {
      try {
        return parseSesEvent(e);
      } catch (err) {
        if (err instanceof ValidationError && Array.isArray(body)) {
          throw new ValidationError(
            err.message,
            err.details.map((d) => ({ ...d, path: `[${i}]${d.path === '(event)' ? '' : `.${d.path}`}` })),
          );
        }
        throw err;
      }
    });
    const results: SesEventResult[] = [];
    for (const p of parsed) {
      results.push(p.kind === 'ignored' ? { eventId: p.eventId, status: 'ignored', detailType: p.detailType } : await applyFeedback(deps, p.feedback));
    }
    c.get('log').info('ses events injected', { count: results.length });
    return c.json({ results }, 200);
  });
}

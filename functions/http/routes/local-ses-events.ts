import { createRoute } from '@hono/zod-openapi';
import { ValidationError } from '../../core/errors';
import { detailSchemas, eventBridgeEnvelopeSchema, type HandledDetailType, parseSesEvent } from '../../core/ses-events';
import type { Deps } from '../../deps';
import { applyFeedback, type SesEventResult } from '../../use-cases/apply-ses-event';
import { requireAdmin, requireBody } from '../middleware';
import { z } from '../openapi-zod';
import { newRouter } from '../router';
import { errors, requiredBody } from '../schemas';

/** How many events one local call may inject. */
const MAX_EVENTS = 100;

// What parseSesEvent accepts, for the document: each detail-type it acts on with the SES detail
// it checks, and any other event, which it answers "ignored". The route checks the body with
// parseSesEvent itself, which names each bad field of each event of a batch.
const EVENT_NAMES: Record<HandledDetailType, string> = {
  'Email Bounced': 'SesBounceEvent',
  'Email Complaint Received': 'SesComplaintEvent',
  'Email Delivered': 'SesDeliveryEvent',
  'Email Rejected': 'SesRejectEvent',
};
// New objects over the core's shapes: a schema made before zod-openapi extended zod has no .openapi.
const envelope = eventBridgeEnvelopeSchema.shape;
const handledEvents = (Object.keys(detailSchemas) as HandledDetailType[]).map((type) =>
  z
    .object({ ...envelope, source: z.literal('aws.ses'), 'detail-type': z.literal(type), detail: detailSchemas[type] })
    .openapi(EVENT_NAMES[type], { description: `"${type}" from SES: applied. Fields SES adds beyond these are let through.` }),
);
const otherEvent = z.object(envelope).openapi('OtherEventBridgeEvent', {
  description: 'Any other EventBridge event (another detail-type, such as opens and clicks, or another source): answered "ignored".',
  not: {
    type: 'object',
    required: ['source', 'detail-type'],
    properties: { source: { const: 'aws.ses' }, 'detail-type': { enum: Object.keys(detailSchemas) } },
  },
});
const sesEvent = z.union([...handledEvents, otherEvent]);
const eventsDoc = z
  .union([sesEvent, z.array(sesEvent).min(1).max(MAX_EVENTS)])
  .openapi('EventBridgeEvents', { description: `One EventBridge event as SES publishes it, or an array of 1 to ${MAX_EVENTS}.` });
const eventsSchema = z.unknown().openapi({ $ref: '#/components/schemas/EventBridgeEvents' } as never);

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
  operationId: 'injectSesEvents',
  summary: 'Inject SES feedback events (local stack only)',
  description:
    'Takes the EventBridge event JSON that SES publishes in AWS ("Email Bounced", "Email Complaint Received", "Email Delivered", "Email Rejected"; other detail-types are ignored), one event or an array of up to 100, and applies it with the same code as the Lambda handler. Every event is validated before any is applied.',
  tags: ['local'],
  security: [{ adminBearer: [] }],
  middleware: [requireBody('json')] as const,
  request: { body: requiredBody({ 'application/json': { schema: eventsSchema } }) },
  responses: {
    200: { description: 'What each event did, in order', content: { 'application/json': { schema: z.object({ results: z.array(resultSchema) }) } } },
    ...errors('json', {
      400: 'invalid-request: not an event, or a handled event whose detail is not an SES record (`details` names each field)',
      401: true,
      413: true,
      415: true,
      503: true,
    }),
  },
});

export function localSesEventRoutes(deps: Deps) {
  const router = newRouter();
  router.openAPIRegistry.register('EventBridgeEvents', eventsDoc);
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

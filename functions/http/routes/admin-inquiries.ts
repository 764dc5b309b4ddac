import { createRoute } from '@hono/zod-openapi';
import { INQUIRY_STATUSES, INQUIRY_TYPES, type Inquiry, type InquiryEvent, type InquiryStatus, OPEN_STATUSES, TRANSITION_TARGETS } from '../../core/inquiry';
import type { Deps } from '../../deps';
import { fulfilInquiry } from '../../use-cases/fulfil-inquiry';
import { listInquiryQueue, showInquiry } from '../../use-cases/officer-inquiries';
import { transitionInquiry } from '../../use-cases/transition-inquiry';
import { decodeCursor, encodeCursor } from '../cursor';
import { actorOf, requireAdmin, requireBody } from '../middleware';
import { z } from '../openapi-zod';
import { newRouter } from '../router';
import { errors, requiredBody } from '../schemas';

/** CONTRACT.md "Privacy officer": the inquiry list, one inquiry with its history, transitions and fulfilment. */
const eventSchema = z.object({ at: z.string(), type: z.string(), by: z.string().optional(), note: z.string().optional() }).openapi('InquiryEvent');
const inquirySchema = z
  .object({
    reference: z.string(),
    brand: z.string(),
    type: z.enum(INQUIRY_TYPES),
    status: z.enum(INQUIRY_STATUSES),
    email: z.string(),
    name: z.string().optional(),
    message: z.string(),
    locale: z.enum(['ja', 'en']),
    createdAt: z.string(),
    receivedAt: z.string().optional(),
    dueAt: z.string().optional(),
    extended: z.boolean(),
    closedAt: z.string().optional(),
    rejectionReason: z.string().optional(),
    redacted: z.boolean().optional(),
    events: z.array(eventSchema).optional(),
  })
  .openapi('Inquiry');

const referenceParam = z.object({ reference: z.string().regex(/^INQ-[A-Z0-9]{10}$/, 'an inquiry reference such as INQ-ABCDEFGHJK') });
const security = [{ adminBearer: [] }];
const tags = ['privacy officer'];
const notFound = 'not-found: no such inquiry';

const listRoute = createRoute({
  method: 'get',
  path: '/admin/inquiries',
  operationId: 'listInquiries',
  summary: 'Inquiries, soonest due first (default: the open ones, received and in-progress)',
  description: 'Paged: pass `cursor` back, with the same filters, for the next page. `limit` 1 to 100, 25 by default.',
  tags,
  security,
  request: {
    query: z.object({
      status: z.enum(INQUIRY_STATUSES).optional(),
      brand: z.string().max(64).optional(),
      dueBefore: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
      cursor: z.string().max(4096).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(25),
    }),
  },
  responses: {
    200: {
      description: 'A page',
      content: { 'application/json': { schema: z.object({ items: z.array(inquirySchema), cursor: z.string().nullable() }).openapi('InquiryPage') } },
    },
    ...errors('json', { 400: 'invalid-request: a bad filter or a cursor not of this listing', 401: true, 503: true }),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/admin/inquiries/{reference}',
  operationId: 'getInquiry',
  summary: 'One inquiry with its full event history',
  description: 'Every event with when and by whom, oldest first.',
  tags,
  security,
  request: { params: referenceParam },
  responses: {
    200: { description: 'The inquiry', content: { 'application/json': { schema: inquirySchema } } },
    ...errors('json', { 400: 'invalid-request: not a reference', 401: true, 404: notFound, 503: true }),
  },
});

const bodyErrors = { 400: true, 401: true, 404: notFound, 413: true, 415: true, 503: true } as const;

const transitionRoute = createRoute({
  method: 'post',
  path: '/admin/inquiries/{reference}/transitions',
  operationId: 'transitionInquiry',
  summary: 'Move an inquiry on (extension and rejection need a reason; it is mailed)',
  description:
    'in-progress, extended (once: the due date moves to three calendar months after receipt, and the reason is mailed), completed, or rejected (the reason and the right to complain to a supervisory authority are mailed).',
  tags,
  security,
  middleware: [requireBody('json')] as const,
  request: {
    params: referenceParam,
    body: requiredBody({
      'application/json': {
        schema: z
          .object({ to: z.enum(TRANSITION_TARGETS), reason: z.string().max(2000).optional(), note: z.string().max(5000).optional() })
          .openapi('InquiryTransition'),
      },
    }),
  },
  responses: {
    200: { description: 'The inquiry after the step', content: { 'application/json': { schema: inquirySchema } } },
    ...errors('json', { ...bodyErrors, 409: 'invalid-transition: not a step from the current status' }),
  },
});

const fulfilRoute = createRoute({
  method: 'post',
  path: '/admin/inquiries/{reference}/fulfil',
  operationId: 'fulfilInquiry',
  summary: "Run the automated action of the inquiry's type and complete it",
  description:
    'access/portability: the JSON export, mailed as a link valid 7 days. erasure: tombstone, redacted ledger, sends deleted, inquiries stripped. restriction: restricted. objection/withdraw-consent/opt-out: every topic of every brand unsubscribed. rectification: `fields` (name, locale). question/complaint: `note` is the answer, mailed.',
  tags,
  security,
  middleware: [requireBody('json')] as const,
  request: {
    params: referenceParam,
    body: requiredBody({
      'application/json': {
        schema: z
          .object({
            note: z.string().max(5000).optional(),
            fields: z
              .object({ name: z.string().max(200).optional(), locale: z.enum(['ja', 'en']).optional() })
              .strict()
              .optional()
              .openapi({
                description:
                  'A rectification: the corrected name and/or mail language. The address itself cannot be rectified (a new address is a new subscriber: the person subscribes it and may ask to erase the old one), so any other field is refused.',
              }),
          })
          .openapi('InquiryFulfilment'),
      },
    }),
  },
  responses: {
    200: { description: 'The completed inquiry', content: { 'application/json': { schema: inquirySchema } } },
    ...errors('json', { ...bodyErrors, 409: 'invalid-transition: the inquiry is not open' }),
  },
});

/** The officer's view: everything but internal bookkeeping. */
function view(inq: Inquiry, events?: InquiryEvent[]) {
  const { emailId: _e, eventCount: _n, reminderSentAt: _r, ...rest } = inq;
  return { ...rest, ...(events ? { events } : {}) };
}

const cursorSchema = z.object({
  f: z.string(),
  p: z.partialRecord(z.enum(INQUIRY_STATUSES), z.string().max(200).nullable()),
});

export function adminInquiryRoutes(deps: Deps) {
  const r = newRouter();
  r.use('/admin/inquiries', requireAdmin(deps.config));
  r.use('/admin/inquiries/*', requireAdmin(deps.config));
  return r
    .openapi(listRoute, async (c) => {
      const q = c.req.valid('query');
      const statuses: InquiryStatus[] = q.status ? [q.status] : [...OPEN_STATUSES];
      const dueBefore = q.dueBefore ? new Date(q.dueBefore).toISOString() : undefined;
      // The cursor only continues the listing it came from.
      const filters = JSON.stringify([statuses, q.brand ?? null, dueBefore ?? null, q.limit]);
      const positions = q.cursor ? decodeCursor(q.cursor, cursorSchema, (p) => p.f === filters).p : undefined;
      const page = await listInquiryQueue(deps, {
        statuses,
        limit: q.limit,
        ...(q.brand ? { brand: q.brand } : {}),
        ...(dueBefore ? { dueBefore } : {}),
        ...(positions ? { positions } : {}),
      });
      return c.json({ items: page.items.map((i) => view(i)), cursor: page.more ? encodeCursor({ f: filters, p: page.positions }) : null }, 200);
    })
    .openapi(getRoute, async (c) => {
      const { reference } = c.req.valid('param');
      const { inquiry, events } = await showInquiry(deps, reference);
      return c.json(view(inquiry, events), 200);
    })
    .openapi(transitionRoute, async (c) => {
      const { reference } = c.req.valid('param');
      const body = c.req.valid('json');
      const inq = await transitionInquiry(deps, { reference, by: actorOf(c), ...body });
      return c.json(view(inq), 200);
    })
    .openapi(fulfilRoute, async (c) => {
      const { reference } = c.req.valid('param');
      const body = c.req.valid('json');
      const inq = await fulfilInquiry(deps, { reference, by: actorOf(c), ...body });
      return c.json(view(inq), 200);
    });
}

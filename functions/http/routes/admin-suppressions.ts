import { createRoute, z } from '@hono/zod-openapi';
import { PayloadTooLargeError, ValidationError } from '../../core/errors';
import { SETTABLE_REASONS, SUPPRESSION_REASONS } from '../../core/suppressions';
import type { Deps } from '../../deps';
import { IMPORT_MAX_LINES, importSuppressions } from '../../use-cases/import-suppressions';
import { liftAddressSuppression } from '../../use-cases/lift-suppression';
import { exportSuppressions, type ListPosition, listSuppressions } from '../../use-cases/list-suppressions';
import { suppressAddress } from '../../use-cases/suppress-address';
import type { RouteGroup } from '../app';
import { decodeCursor, encodeCursor } from '../cursor';
import { actorOf, requireAdmin, requireBody } from '../middleware';
import { newRouter } from '../router';
import { errorResponses, errorSchema } from '../schemas';

/**
 * The suppression list for the privacy officer and the send pipeline's operators: page it by
 * reason, set and lift single entries, and move it in and out as CSV.
 */

/**
 * The import reads its body as a stream under this limit instead of the app's `maxBodyBytes`
 * (see `streamedBodies`): 100,000 lines of up to ~300 bytes. API Gateway caps a request at 10 MB
 * in AWS, so there a call holds what fits in 10 MB.
 */
export const IMPORT_MAX_BYTES = 32 * 1024 * 1024;

const reasonSchema = z.enum(SUPPRESSION_REASONS);
const emailParam = z.object({
  email: z
    .string()
    .min(1)
    .max(1024)
    .openapi({ param: { name: 'email', in: 'path' }, example: 'taro@example.com' }),
});

const itemSchema = z
  .object({
    email: z.string().optional().openapi({ description: 'Absent for an erased person, whose address is gone.' }),
    reason: reasonSchema,
    brand: z.string().nullable().openapi({ description: '`null`: every brand.' }),
    createdAt: z.string(),
    source: z.string(),
    messageId: z.string().optional(),
    note: z.string().optional(),
  })
  .openapi('Suppression');

const unauthorized = { 401: { description: 'No or a wrong admin token', content: { 'application/json': { schema: errorSchema } } } } as const;

const listRoute = createRoute({
  method: 'get',
  path: '/admin/suppressions',
  summary: 'Page the suppression list, newest first',
  description: 'Without `reason`, every reason in turn (erasure, complaint, bounce, manual, unsubscribe). Pass `cursor` back for the next page.',
  tags: ['admin'],
  security: [{ adminBearer: [] }],
  request: {
    query: z.object({
      reason: reasonSchema.optional(),
      cursor: z.string().max(2048).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
  },
  responses: {
    200: {
      description: 'One page',
      content: { 'application/json': { schema: z.object({ items: z.array(itemSchema), cursor: z.string().nullable() }) } },
    },
    ...unauthorized,
    ...errorResponses,
  },
});

const putRoute = createRoute({
  method: 'put',
  path: '/admin/suppressions/{email}',
  summary: 'Suppress an address, for one brand or every brand',
  description: 'A stronger reason already in place (erasure > complaint > bounce > manual > unsubscribe) is kept; `changed` says whether anything was written.',
  tags: ['admin'],
  security: [{ adminBearer: [] }],
  middleware: [requireBody('json')] as const,
  request: {
    params: emailParam,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({ reason: z.enum(SETTABLE_REASONS), brand: z.string().max(64).optional(), note: z.string().max(500).optional() })
            .openapi('SuppressionInput'),
        },
      },
    },
  },
  responses: {
    200: {
      description: 'The suppression in effect for that scope',
      content: { 'application/json': { schema: z.object({ suppression: itemSchema, changed: z.boolean() }) } },
    },
    ...unauthorized,
    ...errorResponses,
  },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/admin/suppressions/{email}',
  summary: 'Lift a suppression',
  description:
    'Lifts the suppression of `brand` (or the every-brand one without it). The ledger records who lifted it and `reason`. An erasure can never be lifted (409).',
  tags: ['admin'],
  security: [{ adminBearer: [] }],
  request: {
    params: emailParam,
    query: z
      .object({
        brand: z.string().max(64).optional(),
        reason: z.string().trim().min(1).max(500).optional().openapi({ description: 'Why it is lifted; recorded in the ledger. Required (or `note`).' }),
        note: z.string().trim().min(1).max(500).optional().openapi({ description: 'Same as `reason`.' }),
      })
      .refine((q) => q.reason ?? q.note, { message: 'say why the suppression is lifted', path: ['reason'] }),
  },
  responses: {
    200: {
      description: 'Lifted',
      content: {
        'application/json': {
          schema: z.object({ lifted: z.object({ email: z.string(), brand: z.string().nullable(), reason: reasonSchema, createdAt: z.string() }) }),
        },
      },
    },
    404: { description: 'No such suppression', content: { 'application/json': { schema: errorSchema } } },
    409: { description: 'An erasure cannot be lifted', content: { 'application/json': { schema: errorSchema } } },
    ...unauthorized,
    ...errorResponses,
  },
});

const importRoute = createRoute({
  method: 'post',
  path: '/admin/suppressions/import',
  summary: 'Import suppressions from CSV',
  description: `Header \`email,reason,brand,createdAt\` (brand empty: every brand; createdAt empty: now), then up to ${IMPORT_MAX_LINES} lines. BOM, CRLF, quoted fields and empty lines are fine. Valid lines are applied; each bad or repeated line is reported with its line number and nothing of it is written.`,
  tags: ['admin'],
  security: [{ adminBearer: [] }],
  middleware: [requireBody('csv')] as const,
  request: {
    body: {
      required: true,
      content: { 'text/csv': { schema: z.string().openapi({ example: 'email,reason,brand,createdAt\r\ntaro@example.com,manual,livlog,\r\n' }) } },
    },
  },
  responses: {
    200: {
      description: 'What was applied and what was skipped',
      content: {
        'application/json': {
          schema: z
            .object({ applied: z.number(), changed: z.number(), skipped: z.array(z.object({ line: z.number(), error: z.string() })) })
            .openapi('ImportReport'),
        },
      },
    },
    ...unauthorized,
    ...errorResponses,
  },
});

const exportRoute = createRoute({
  method: 'get',
  path: '/admin/suppressions/export',
  summary: 'Export the suppression list as CSV',
  description: 'Streamed page by page, columns `email,reason,brand,createdAt`. Erased people have no address and are not in it.',
  tags: ['admin'],
  security: [{ adminBearer: [] }],
  request: { query: z.object({ reason: reasonSchema.optional() }) },
  responses: {
    200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } },
    ...unauthorized,
    ...errorResponses,
  },
});

/** The cursor is opaque to clients: base64url of the listing position, checked on the way back. */
const cursorSchema = z.object({ r: reasonSchema, k: z.record(z.string(), z.string()).optional() });
const positionOf = (p: z.infer<typeof cursorSchema>): ListPosition => ({ reason: p.r, ...(p.k ? { key: p.k } : {}) });

export const adminSuppressionRoutes: RouteGroup = Object.assign(
  (deps: Deps) => {
    const router = newRouter();
    const admin = requireAdmin(deps.config);
    router.use('/admin/suppressions', admin);
    router.use('/admin/suppressions/*', admin);

    return router
      .openapi(listRoute, async (c) => {
        const q = c.req.valid('query');
        const from = q.cursor ? positionOf(decodeCursor(q.cursor, cursorSchema, (p) => !q.reason || p.r === q.reason)) : undefined;
        const page = await listSuppressions(deps, { ...(q.reason ? { reason: q.reason } : {}), ...(from ? { from } : {}), limit: q.limit });
        return c.json(
          { items: page.items, cursor: page.next ? encodeCursor({ r: page.next.reason, ...(page.next.key ? { k: page.next.key } : {}) }) : null },
          200,
        );
      })
      .openapi(exportRoute, async (c) => {
        const q = c.req.valid('query');
        const chunks = exportSuppressions(deps, q.reason ? { reason: q.reason } : {});
        const encoder = new TextEncoder();
        const log = c.get('log');
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            try {
              const next = await chunks.next();
              if (next.done) controller.close();
              else controller.enqueue(encoder.encode(next.value));
            } catch (err) {
              // Headers are gone already; cutting the stream is the only way left to say it failed.
              log.error('suppression export failed', { error: err });
              controller.error(err);
            }
          },
          async cancel() {
            await chunks.return(undefined);
          },
        });
        return c.body(body, 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': 'attachment; filename="suppressions.csv"',
          'cache-control': 'no-store',
        }) as never;
      })
      .openapi(importRoute, async (c) => {
        const declared = Number(c.req.header('content-length') ?? '0');
        if (declared > IMPORT_MAX_BYTES) throw new PayloadTooLargeError(`An import holds at most ${IMPORT_MAX_BYTES} bytes; split the file.`);
        const stream = c.req.raw.body;
        if (!stream) throw new ValidationError('The CSV is empty.', [{ path: '(body)', message: 'a header line is needed' }]);
        const report = await importSuppressions(deps, { body: stream as unknown as AsyncIterable<Uint8Array>, actor: actorOf(c), maxBytes: IMPORT_MAX_BYTES });
        c.get('log').info('suppressions imported', { applied: report.applied, changed: report.changed, skipped: report.skipped.length });
        return c.json(report, 200);
      })
      .openapi(putRoute, async (c) => {
        const { email } = c.req.valid('param');
        const body = c.req.valid('json');
        const out = await suppressAddress(deps, {
          email,
          reason: body.reason,
          ...(body.brand !== undefined ? { brand: body.brand } : {}),
          ...(body.note ? { note: body.note } : {}),
          actor: actorOf(c),
        });
        const s = out.suppression;
        return c.json(
          {
            suppression: {
              email: out.email,
              reason: s.reason,
              brand: s.scope === '*' ? null : s.scope,
              createdAt: s.at,
              source: s.source,
              ...(s.messageId ? { messageId: s.messageId } : {}),
              ...(s.note ? { note: s.note } : {}),
            },
            changed: out.changed,
          },
          200,
        );
      })
      .openapi(deleteRoute, async (c) => {
        const { email } = c.req.valid('param');
        const q = c.req.valid('query');
        const out = await liftAddressSuppression(deps, {
          email,
          ...(q.brand !== undefined ? { brand: q.brand } : {}),
          note: (q.reason ?? q.note) as string,
          actor: actorOf(c),
        });
        return c.json(
          {
            lifted: {
              email: out.email,
              brand: out.scope === '*' ? null : out.scope,
              reason: out.lifted.reason as z.infer<typeof reasonSchema>,
              createdAt: out.lifted.at,
            },
          },
          200,
        );
      });
  },
  { streamedBodies: ['POST /admin/suppressions/import'] },
);

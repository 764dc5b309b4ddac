import { createRoute } from '@hono/zod-openapi';
import { SETTABLE_REASONS, SUPPRESSION_REASONS } from '../../core/suppressions';
import { IMPORT_MAX_LINES } from '../../use-cases/import-suppressions';
import { requireBody } from '../middleware';
import { z } from '../openapi-zod';
import { attachmentHeader, emailPathParams, errors, requiredBody } from '../schemas';

/** The route definitions of the suppression list (admin-suppressions.ts serves them). */

/**
 * The import reads its body as a stream under this limit instead of the app's `maxBodyBytes`
 * (see `ownBodyLimits`): 100,000 lines of up to ~300 bytes. In AWS the tighter cap is Lambda's:
 * a synchronous event, the body with its headers, holds at most 6 MB (API Gateway's own is 10 MB),
 * so there a call holds a little under 6 MB of CSV.
 */
export const IMPORT_MAX_BYTES = 32 * 1024 * 1024;

export const reasonSchema = z.enum(SUPPRESSION_REASONS);

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

const common = { tags: ['privacy officer'], security: [{ adminBearer: [] }] };

export const listRoute = createRoute({
  method: 'get',
  path: '/admin/suppressions',
  operationId: 'listSuppressions',
  summary: 'Page the suppression list, newest first',
  description: 'Without `reason`, every reason in turn (erasure, complaint, bounce, manual, unsubscribe). Pass `cursor` back for the next page.',
  ...common,
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
      content: { 'application/json': { schema: z.object({ items: z.array(itemSchema), cursor: z.string().nullable() }).openapi('SuppressionPage') } },
    },
    ...errors('json', { 400: 'invalid-request: a bad parameter, or a cursor tampered with or of another reason', 401: true, 503: true }),
  },
});

export const putRoute = createRoute({
  method: 'put',
  path: '/admin/suppressions/{email}',
  operationId: 'suppressAddress',
  summary: 'Suppress an address, for one brand or every brand',
  description:
    'A stronger reason already in place (erasure > complaint > bounce > manual > unsubscribe) is kept; `changed` says whether anything was written. `erasure` is refused: it comes only from an erasure inquiry.',
  ...common,
  middleware: [requireBody('json')] as const,
  request: {
    params: emailPathParams,
    body: requiredBody({
      'application/json': {
        schema: z
          .object({ reason: z.enum(SETTABLE_REASONS), brand: z.string().max(64).optional(), note: z.string().max(500).optional() })
          .openapi('SuppressionInput'),
      },
    }),
  },
  responses: {
    200: {
      description: 'The suppression in effect for that scope',
      content: { 'application/json': { schema: z.object({ suppression: itemSchema, changed: z.boolean() }).openapi('SuppressionResult') } },
    },
    ...errors('json', { 400: true, 401: true, 413: true, 415: true, 503: true }),
  },
});

export const deleteRoute = createRoute({
  method: 'delete',
  path: '/admin/suppressions/{email}',
  operationId: 'liftSuppression',
  summary: 'Lift a suppression',
  description:
    'Lifts the suppression of `brand` (or the every-brand one without it). The ledger records who lifted it and `reason`. Lifting a bounce also clears the transient-bounce counter. An erasure can never be lifted (409).',
  ...common,
  request: {
    params: emailPathParams,
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
    ...errors('json', {
      400: true,
      401: true,
      404: 'not-found: no such suppression',
      409: 'erasure-is-permanent: an erasure cannot be lifted',
      413: true,
      503: true,
    }),
  },
});

export const importRoute = createRoute({
  method: 'post',
  path: '/admin/suppressions/import',
  operationId: 'importSuppressions',
  summary: 'Import suppressions from CSV',
  description: `Header \`email,reason,brand,createdAt\` (brand empty: every brand; createdAt empty: now), then up to ${IMPORT_MAX_LINES} lines and ${IMPORT_MAX_BYTES} bytes (a larger declared Content-Length is 413 before anything is read); in AWS, Lambda's 6 MB event caps a call first. BOM, CRLF, quoted fields and empty lines are fine. Valid lines are applied; each bad or repeated line is reported with its line number and nothing of it is written.`,
  ...common,
  middleware: [requireBody('csv')] as const,
  request: {
    body: requiredBody({ 'text/csv': { schema: z.string().openapi({ example: 'email,reason,brand,createdAt\r\ntaro@example.com,manual,livlog,\r\n' }) } }),
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
    ...errors('json', { 400: 'invalid-request: no header line', 401: true, 413: true, 415: 'unsupported-media-type: not text/csv', 503: true }),
  },
});

export const exportRoute = createRoute({
  method: 'get',
  path: '/admin/suppressions/export',
  operationId: 'exportSuppressions',
  summary: 'Export the suppression list as CSV',
  description:
    "Streamed page by page, columns `email,reason,brand,createdAt`. Erased people have no address and are not in it. A cell a spreadsheet would run as a formula gets a leading `'`, which the import takes off again. The store is read as the CSV streams, after the 200: a store failure cuts the stream short.",
  ...common,
  request: { query: z.object({ reason: reasonSchema.optional() }) },
  responses: {
    200: { description: 'CSV', headers: attachmentHeader('attachment; filename="suppressions.csv"'), content: { 'text/csv': { schema: z.string() } } },
    ...errors('json', { 400: 'invalid-request: an unknown reason', 401: true }),
  },
});

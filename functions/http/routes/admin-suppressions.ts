import type { output } from 'zod';
import { PayloadTooLargeError, ValidationError } from '../../core/errors';
import type { Deps } from '../../deps';
import { importSuppressions } from '../../use-cases/import-suppressions';
import { liftAddressSuppression } from '../../use-cases/lift-suppression';
import { exportSuppressions, type ListPosition, listSuppressions } from '../../use-cases/list-suppressions';
import { suppressAddress } from '../../use-cases/suppress-address';
import type { RouteGroup } from '../app';
import { csvDownload } from '../csv-download';
import { decodeCursor, encodeCursor } from '../cursor';
import { actorOf, requireAdmin } from '../middleware';
import { z } from '../openapi-zod';
import { newRouter } from '../router';
import { deleteRoute, exportRoute, IMPORT_MAX_BYTES, importRoute, listRoute, putRoute, reasonSchema } from './admin-suppression-definitions';

/**
 * The suppression list for the privacy officer and the send pipeline's operators: page it by
 * reason, set and lift single entries, and move it in and out as CSV. The route definitions are in
 * admin-suppression-definitions.ts.
 */

/** The cursor is opaque to clients: base64url of the listing position, checked on the way back. */
const cursorSchema = z.object({ r: reasonSchema, k: z.record(z.string(), z.string()).optional() });
const positionOf = (p: output<typeof cursorSchema>): ListPosition => ({ reason: p.r, ...(p.k ? { key: p.k } : {}) });

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
        return csvDownload(c, chunks, 'suppressions.csv', c.get('log')) as never;
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
              reason: out.lifted.reason as output<typeof reasonSchema>,
              createdAt: out.lifted.at,
            },
          },
          200,
        );
      });
  },
  { ownBodyLimits: ['POST /admin/suppressions/import'] },
);

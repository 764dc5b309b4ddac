import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { ValidationError } from '../../../core/errors';
import { SETTABLE_REASONS, SUPPRESSION_REASONS } from '../../../core/suppressions';
import { consoleTextsOf } from '../../../core/texts/console';
import { grouped } from '../../../core/texts/numbers';
import type { Deps } from '../../../deps';
import { importSuppressions } from '../../../use-cases/import-suppressions';
import { liftAddressSuppression } from '../../../use-cases/lift-suppression';
import { exportSuppressions } from '../../../use-cases/list-suppressions';
import { suppressAddress } from '../../../use-cases/suppress-address';
import { csvDownload } from '../../csv-download';
import type { ConsoleEnv } from '../context';
import { FileTooLargeError } from './errors';
import { consolePage, field } from './frame';

/** The console's CSV import: a browser's form, so a page for every answer (also a file too large). */
export const CONSOLE_IMPORT_PATH = '/console/suppressions/import';

/**
 * The largest CSV file the console imports. The console's Lambda function is invoked synchronously,
 * whose event may hold 6 MB, and API Gateway hands it a form's body in base64 (4 bytes for 3): a
 * body of 4.5 MB fills it, headers and all. A file of 4 MB (some 100,000 lines of 40 bytes, the
 * import's line limit) and the rest of the form fit; larger lists go through the admin API's import.
 */
export const CONSOLE_IMPORT_MAX_BYTES = 4 * 1024 * 1024;

/** The import's whole body: the file and what the form sends beside it (the CSRF token, the part headers). */
export const CONSOLE_IMPORT_MAX_BODY_BYTES = CONSOLE_IMPORT_MAX_BYTES + 64 * 1024;

/**
 * The import's body limit, in place of the 1 MB of the console's other forms (`limitFormBody`). A
 * declared Content-Length over it is refused before anything is read; a body without one is read
 * up to the limit and no further.
 */
export const limitImportBody = bodyLimit({
  maxSize: CONSOLE_IMPORT_MAX_BODY_BYTES,
  onError: () => {
    throw new FileTooLargeError(CONSOLE_IMPORT_MAX_BYTES);
  },
});

const settable = z.enum(SETTABLE_REASONS);
const NOTE_MAX = 2000;

function required(value: string, path: string) {
  if (!value.trim()) throw new ValidationError('A field is missing.', [{ path, message: 'required' }]);
  if (value.length > NOTE_MAX) throw new ValidationError('A field is too long.', [{ path, message: `at most ${NOTE_MAX} characters` }]);
  return value.trim();
}

/**
 * The suppression list's actions, each through the use case of the JSON route with the operator as
 * the actor: add (the PUT), lift with a reason (the DELETE), import a CSV file with its per-line
 * report, and the CSV export (both roles: it holds what the list shows).
 */
export function suppressionActions(deps: Deps) {
  return new Hono<ConsoleEnv>()
    .get('/console/suppressions/export', (c) => {
      const raw = c.req.query('reason') || undefined;
      const reason = raw === undefined ? undefined : z.enum(SUPPRESSION_REASONS).safeParse(raw).data;
      if (raw !== undefined && !reason) throw new ValidationError('Not a reason.', [{ path: 'reason', message: SUPPRESSION_REASONS.join(', ') }]);
      const chunks = exportSuppressions(deps, reason ? { reason } : {});
      return csvDownload(c, chunks, 'suppressions.csv', c.get('log'));
    })
    .post('/console/suppressions', async (c) => {
      const form = await c.req.formData();
      const reason = settable.safeParse(field(form, 'reason')).data;
      if (!reason) throw new ValidationError('Not a reason.', [{ path: 'reason', message: SETTABLE_REASONS.join(', ') }]);
      const note = field(form, 'note').trim();
      if (note.length > NOTE_MAX) throw new ValidationError('The note is too long.', [{ path: 'note', message: `at most ${NOTE_MAX} characters` }]);
      const brand = field(form, 'brand');
      await suppressAddress(deps, {
        email: field(form, 'email'),
        reason,
        ...(brand ? { brand } : {}),
        ...(note ? { note } : {}),
        actor: c.get('operator').username,
      });
      return c.redirect('/console/suppressions?done=added', 303);
    })
    .post('/console/suppressions/lift', async (c) => {
      const form = await c.req.formData();
      const note = required(field(form, 'reason'), 'reason');
      const brand = field(form, 'brand');
      await liftAddressSuppression(deps, { email: field(form, 'email'), ...(brand ? { brand } : {}), note, actor: c.get('operator').username });
      return c.redirect('/console/suppressions?done=lifted', 303);
    })
    .post(CONSOLE_IMPORT_PATH, async (c) => {
      const form = await c.req.formData();
      const file = form.get('file');
      const text = form.get('csv');
      const body: ReadableStream<Uint8Array> | undefined =
        file instanceof Blob ? file.stream() : typeof text === 'string' && text ? new Blob([text]).stream() : undefined;
      if (!body) throw new ValidationError('The CSV is empty.', [{ path: 'file', message: 'choose a CSV file' }]);
      const report = await importSuppressions(deps, {
        body: body as unknown as AsyncIterable<Uint8Array>,
        actor: c.get('operator').username,
        maxBytes: CONSOLE_IMPORT_MAX_BYTES,
      });
      c.get('log').info('suppressions imported', { applied: report.applied, changed: report.changed, skipped: report.skipped.length });
      const locale = c.get('locale');
      const t = consoleTextsOf(locale).console.suppressions;
      return consolePage(c, {
        title: t.report,
        section: 'suppressions',
        children: (
          <>
            <h1>{t.report}</h1>
            <div class="notice" role="status">
              <p>{t.applied(report.applied, report.changed)}</p>
              {report.skipped.length ? <p>{t.skipped(report.skipped.length)}</p> : null}
            </div>
            {report.skipped.length ? (
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col" class="num">
                        {t.line}
                      </th>
                      <th scope="col">{t.problem}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.skipped.map((s) => (
                      <tr>
                        <td class="num">{grouped(s.line)}</td>
                        <td>{s.error}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
            <a href="/console/suppressions">{t.title}</a>
          </>
        ),
      });
    });
}

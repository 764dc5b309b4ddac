import type { MiddlewareHandler } from 'hono';
import { PayloadTooLargeError } from '../../../core/errors';
import { own } from '../../../core/own';
import { consoleTextsOf } from '../../../core/texts/console';
import { answerFor, internalAnswer } from '../../errors';
import type { ConsoleEnv } from '../context';
import { type ConsoleContext, consolePage } from './frame';

/** A file sent to a console form (the CSV import) over the form's own limit of `maxBytes`. */
export class FileTooLargeError extends PayloadTooLargeError {
  constructor(readonly maxBytes: number) {
    super(`A file sent to this form holds at most ${maxBytes} bytes.`);
  }
}

/** A console form's body over the console's limit for forms (the app's `maxBodyBytes`, 1 MB). */
export class FormTooLargeError extends PayloadTooLargeError {
  constructor(readonly maxBytes: number) {
    super(`A form sent to the console holds at most ${maxBytes} bytes.`);
  }
}

const MB = 1024 * 1024;
/** `1048576` → `1 MB`, `2048` → `2 KB`: what the page says a form may hold. */
const sizeOf = (bytes: number) => (bytes >= MB ? `${Math.floor((bytes / MB) * 10) / 10} MB` : `${Math.floor(bytes / 1024)} KB`);

/**
 * Every error of a console page or action answered as a console page: the status and code of
 * the one mapping table (functions/http/errors.ts), so a racing step gets the same
 * `409 invalid-transition` as the JSON route, with the console's words and a way back.
 */
export const consoleErrorPages: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  await next();
  if (!c.error) return;
  const err = c.error;
  // Handled here: the sign-in's own error page (outside the pages) must not answer it again.
  c.error = undefined;
  c.res = undefined;
  c.res = await consoleErrorResponse(c, err);
};

/**
 * The page of `consoleErrorPages` for an error of a signed-in operator's request; also what the
 * sign-in middleware answers for a refusal of its own after the session is known (a form's body
 * over its limit, refused before the CSRF token is read from it).
 */
export async function consoleErrorResponse(c: ConsoleContext, err: unknown): Promise<Response> {
  const known = answerFor(err);
  // Name and code only: messages of SDK errors may quote addresses.
  if (!known) c.get('log')?.error('unhandled error', { error: err });
  else if (known.status >= 500) c.get('log')?.warn('request failed', { error: err, code: known.code });
  const answer = known ?? internalAnswer;
  const locale = c.get('locale');
  const t = consoleTextsOf(locale);
  const text =
    err instanceof FileTooLargeError
      ? { title: t.console.errors.fileTooLarge.title, text: t.console.errors.fileTooLarge.text(err.maxBytes / MB) }
      : err instanceof FormTooLargeError
        ? { title: t.console.errors.formTooLarge.title, text: t.console.errors.formTooLarge.text(sizeOf(err.maxBytes)) }
        : (own(t.console.errors, answer.code) ?? own(t.errors.byCode, answer.code) ?? t.errors.byCode.internal);
  const lines = [typeof text === 'object' && 'text' in text ? text.text : ''];
  if (answer.status >= 500 && answer.code === 'internal') lines.push(t.errors.requestId(c.get('requestId')));
  const reference = /^\/console\/inquiries\/(INQ-[A-Z0-9]{10})(?:\/|$)/.exec(c.req.path)?.[1];
  // A way back to the page a refused form came from (the suppression list, the campaigns…).
  const section = /^\/console\/(suppressions|campaigns|subscribers)(?:\/|$)/.exec(c.req.path)?.[1];
  const title = typeof text === 'object' && 'title' in text ? text.title : '';
  const res = await consolePage(c, {
    title,
    status: answer.status,
    children: (
      <>
        <h1>{title}</h1>
        <div class="error" role="alert">
          {lines.map((l) => (
            <p>{l}</p>
          ))}
        </div>
        <ul>
          {reference && answer.status !== 403 ? (
            <li>
              <a href={`/console/inquiries/${reference}`}>{t.console.errors.backToInquiry}</a>
            </li>
          ) : null}
          {section && answer.status !== 403 ? (
            <li>
              <a href={`/console/${section}`}>{own(t.console.nav, section) as string}</a>
            </li>
          ) : null}
          <li>
            <a href="/console">{t.console.errors.back}</a>
          </li>
        </ul>
      </>
    ),
  });
  for (const [k, v] of Object.entries(answer.headers ?? {})) res.headers.set(k, v);
  return res;
}

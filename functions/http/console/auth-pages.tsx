import type { Context } from 'hono';
import type { Locale } from '../../core/brands';
import { ForbiddenError, SignInError } from '../../core/errors';
import { own } from '../../core/own';
import { consoleTextsOf } from '../../core/texts/console';
import { answerFor, internalAnswer } from '../errors';
import { MessagePage, type WayOn } from '../pages/message-page';

/** A POST to the console without its session's CSRF token. */
export class CsrfRejectedError extends ForbiddenError {
  constructor() {
    super('The form did not carry this session’s CSRF token.');
  }
}

/**
 * The console's error page for anything thrown under /console: the status of the error table,
 * the words of the console's catalogue for what the sign-in itself refuses, and a way on (sign
 * in again, or back to the console). Never JSON: every console route is a page.
 */
export function consoleErrorPage(c: Context, err: unknown, locale: Locale, requestId: string) {
  const answer = answerFor(err) ?? internalAnswer;
  const t = consoleTextsOf(locale);
  const a = t.consoleAuth;
  const signIn: WayOn = { href: `/console/login?lang=${locale}`, label: a.signIn };
  const back: WayOn = { href: `/console?lang=${locale}`, label: a.backToConsole };
  let title: string;
  let lines: string[];
  let links: WayOn[];
  if (err instanceof SignInError) {
    ({ title } = a.signInFailed);
    lines = [a.signInFailed.text];
    links = [signIn];
  } else if (err instanceof CsrfRejectedError) {
    ({ title } = a.csrf);
    lines = [a.csrf.text];
    links = [back];
  } else if (err instanceof ForbiddenError) {
    ({ title } = a.noRole);
    lines = [a.noRole.text];
    links = [signIn];
  } else {
    const text = own(t.errors.byCode, answer.code) ?? t.errors.byCode.internal;
    title = text.title;
    lines = [text.text];
    if (answer.status >= 500 && answer.code === 'internal') lines.push(t.errors.requestId(requestId));
    links = [back];
  }
  for (const [k, v] of Object.entries(answer.headers ?? {})) c.header(k, v);
  return c.html(<MessagePage locale={locale} title={title} lines={lines} links={links} tone="error" />, answer.status);
}

/** Where the provider sends the browser after signing out. */
export function signedOutPage(c: Context, locale: Locale) {
  const a = consoleTextsOf(locale).consoleAuth;
  return c.html(
    <MessagePage locale={locale} title={a.signedOut.title} lines={[a.signedOut.text]} links={[{ href: `/console/login?lang=${locale}`, label: a.signIn }]} />,
  );
}

import type { Context, MiddlewareHandler } from 'hono';
import type { HtmlEscapedString } from 'hono/utils/html';
import { type Brand, type Brands, LOCALES, type Locale } from '../../core/brands';
import type { FieldIssue } from '../../core/errors';
import { own } from '../../core/own';
import { textsOf } from '../../core/texts';
import type { AppEnv } from '../env';
import { answerFor, type ErrorAnswer, internalAnswer } from '../errors';
import { errorPage } from './error-page';
import { type Typed, typedOf } from './form-fields';
import { pickLocale } from './locale';
import type { WayOn } from './message-page';

type Ctx = Context<AppEnv>;

/** A browser's form submission (not JSON, and asking for HTML), as opposed to a `fetch` client. */
export const wantsPage = (c: Ctx) =>
  !/^application\/(?:[\w.+-]+\+)?json/i.test(c.req.header('content-type') ?? '') && (c.req.header('accept') ?? '').includes('text/html');

/** What a form page shown again is made of. */
export interface FormAgain {
  typed: Typed;
  issues: FieldIssue[];
  brand?: Brand;
  locale: Locale;
}

export interface HtmlErrorOptions {
  /** Narrows the pages to browsers on routes that also serve JSON clients. */
  when?: (c: Ctx) => boolean;
  /** The brand a route's link names (its token), when it is authentic. */
  brandOf?: (c: Ctx) => Brand | undefined;
  /** A way back that the route has (e.g. the page a bad form came from). */
  back?: (c: Ctx, locale: Locale) => WayOn | undefined;
  /** A route's own words (and status) for an error, e.g. a stale link of its kind; else the code's. */
  message?: (err: unknown, answer: ErrorAnswer, locale: Locale) => { title: string; text: string; status?: ErrorAnswer['status'] } | undefined;
  /** Renders the form again for bad fields (400 invalid-request with a form body). */
  form?: (c: Ctx, again: FormAgain) => HtmlEscapedString | Promise<HtmlEscapedString>;
}

/**
 * Routes a person opens in a browser answer errors with a page, not JSON: the same status and
 * `Retry-After` as the contract's JSON error, the message of its code from the catalogue
 * (`errors.byCode`), the brand the request names and a way on. A form with bad fields is shown
 * again instead, when the route can render it.
 */
export function htmlErrorPages(brands: Brands, opts: HtmlErrorOptions = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (!c.error || !(opts.when?.(c) ?? true)) return;
    const known = answerFor(c.error) ?? internalAnswer;
    // Only a body the route has already read: an error page never reads one of its own.
    // A form that could not be parsed is no form: the page is shown without it.
    const parsed = c.req.bodyCache.formData ? await Promise.resolve(c.req.bodyCache.formData).catch(() => undefined) : undefined;
    const form = parsed ? typedOf(parsed) : undefined;
    const brand = opts.brandOf?.(c) ?? named(brands, c.req.query('brand')) ?? named(brands, form?.one('brand'));
    const formLocale = (LOCALES as readonly string[]).find((l) => l === form?.one('locale'));
    const locale = pickLocale(brand, formLocale ?? c.req.query('lang'), c.req.header('accept-language'));
    c.res = undefined;
    if (known.code === 'invalid-request' && form && opts.form) {
      const issues = Array.isArray(known.details) ? (known.details as FieldIssue[]) : [];
      c.res = await c.html(opts.form(c, { typed: form, issues, locale, ...(brand ? { brand } : {}) }), 400);
      return;
    }
    const t = textsOf(locale).errors;
    const routeText = opts.message?.(c.error, known, locale);
    const text = routeText ?? own(t.byCode, known.code) ?? t.byCode.internal;
    const lines = [text.text];
    if (known.status >= 500 && known.code === 'internal') lines.push(t.requestId(c.get('requestId')));
    const back = opts.back?.(c, locale);
    c.res = await errorPage(c, brands, {
      status: routeText?.status ?? known.status,
      locale,
      title: text.title,
      lines,
      headers: known.headers ?? {},
      ...(brand ? { brand } : {}),
      ...(back ? { back } : {}),
    });
  };
}

const named = (brands: Brands, id: string | undefined) => (id ? brands.get(id) : undefined);

/** An unknown path asked for as HTML: a 404 page with a way on, in the look of the brand `?brand=` names. */
export function notFoundPage(c: Ctx, brands: Brands) {
  const brand = named(brands, c.req.query('brand'));
  const locale = pickLocale(brand, c.req.query('lang'), c.req.header('accept-language'));
  const text = textsOf(locale).errors.byCode['not-found'];
  return errorPage(c, brands, { status: 404, locale, title: text.title, lines: [text.text], ...(brand ? { brand } : {}) });
}

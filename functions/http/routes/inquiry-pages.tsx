import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Brand, Locale } from '../../core/brands';
import { InvalidTokenError } from '../../core/errors';
import { textsOf } from '../../core/texts';
import type { Deps } from '../../deps';
import { statusUrlOf } from '../../use-cases/mail-requester';
import { readInquiryStatus } from '../../use-cases/read-inquiry-links';
import { readVerification, verifyInquiry } from '../../use-cases/verify-inquiry';
import type { AppEnv } from '../env';
import { z } from '../openapi-zod';
import { errorPage } from '../pages/error-page';
import { htmlErrorPages } from '../pages/html-errors';
import { ContactPage, StatusPage, ThanksPage, VerifiedPage, VerifyPage } from '../pages/inquiry-pages';
import { pickLocale } from '../pages/locale';
import { newRouter } from '../router';
import { errors, headOf, pageAnswer } from '../schemas';

/**
 * CONTRACT.md "Privacy inquiries (contact-us form)", the pages: the verification page and its
 * button, the requester's status page, and the demo contact form with its thank-you page. The
 * intake and the export download are in inquiries.ts.
 */
const tokenParam = z.object({ token: z.string().min(1).max(2048).openapi({ description: 'signed token from the mail' }) });
const langQuery = z.object({ lang: z.string().max(8).optional().openapi({ description: 'ja or en' }) });
const brandQuery = langQuery.extend({ brand: z.string().max(64).optional().openapi({ description: 'a brand id; the first brand when absent' }) });
const linkErrors = {
  400: 'invalid-token (a malformed link) or invalid-request (a bad parameter)',
  403: 'invalid-token: not one of our links',
  404: 'not-found: the inquiry no longer exists (unverified for 7 days)',
} as const;

const verifyPageRoute = createRoute({
  method: 'get',
  path: '/inquiries/verify/{token}',
  operationId: 'showInquiryVerifyPage',
  summary: 'The verification page: a button (GET and HEAD change nothing)',
  description: 'The link of the verification mail. Shows the inquiry and a button that posts to the same URL; link scanners may open it.',
  tags: ['inquiries'],
  request: { params: tokenParam, query: langQuery },
  responses: { 200: pageAnswer('Page'), 410: pageAnswer('The link expired: send the inquiry again'), ...errors('page', { ...linkErrors, 503: true }) },
});

const verifyRoute = createRoute({
  method: 'post',
  path: '/inquiries/verify/{token}',
  operationId: 'verifyInquiry',
  summary: 'Verify the address: the inquiry is received and its due date set',
  description:
    'The status becomes received, the legal due date (one calendar month) is set, and an acknowledgement with the reference, the due date and the status page goes out. Repeating it changes nothing. The body, if any, is not read.',
  tags: ['inquiries'],
  request: { params: tokenParam, query: langQuery },
  responses: {
    200: pageAnswer('Received page'),
    410: pageAnswer('The link expired: send the inquiry again'),
    ...errors('page', { ...linkErrors, 413: true, 503: true }),
  },
});

const statusRoute = createRoute({
  method: 'get',
  path: '/inquiries/status/{token}',
  operationId: 'showInquiryStatus',
  summary: "The requester's status page",
  description: 'Type, received date, due date and status; for a completed access or portability request, the export link while the export lives.',
  tags: ['inquiries'],
  request: { params: tokenParam, query: langQuery },
  responses: {
    200: pageAnswer('Page'),
    410: pageAnswer('The link expired (3 years after it was mailed)'),
    ...errors('page', { ...linkErrors, 404: 'not-found: the inquiry is gone (past its retention)', 503: true }),
  },
});

const contactRoute = createRoute({
  method: 'get',
  path: '/contact',
  operationId: 'showContactForm',
  summary: 'Demo contact form of a brand (works without JavaScript)',
  description: "A plain HTML form that posts to /v1/inquiries, in the brand's look.",
  tags: ['inquiries'],
  request: { query: brandQuery },
  responses: { 200: pageAnswer('Page'), ...errors('page', { 400: 'invalid-request: a query parameter too long', 404: 'not-found: no such brand' }) },
});

const thanksRoute = createRoute({
  method: 'get',
  path: '/contact/thanks',
  operationId: 'showContactThanks',
  summary: 'Where the contact form lands',
  description: 'Says that a verification mail is on its way.',
  tags: ['inquiries'],
  request: { query: brandQuery },
  responses: {
    200: pageAnswer('Page'),
    ...errors('page', { 400: 'invalid-request: a query parameter too long', 404: 'not-found: no such brand' }),
  },
});

/** The pages a person opens from the contact form and the inquiry mails. */
export function inquiryPageRoutes(deps: Deps) {
  const brands = deps.config.brands;
  const defaultBrand = brands.list[0] as Brand;
  const localeOf = (c: Context<AppEnv>, brand: Brand | undefined, fallback?: Locale) => {
    const q = c.req.query('lang');
    if (!q && fallback) return fallback;
    return pickLocale(brand, q, c.req.header('accept-language'));
  };
  const brandOr404 = (c: Context<AppEnv>) => {
    const id = c.req.query('brand');
    return id ? brands.get(id) : defaultBrand;
  };
  const unknownBrand = (c: Context<AppEnv>) => {
    const locale = localeOf(c, undefined);
    const t = textsOf(locale).errors.unknownSite;
    return errorPage(c, brands, { status: 404, locale, title: t.title, lines: [t.text] });
  };

  const r = newRouter();
  // A bad or stale link gets a page, not JSON; a stale one says what to do next.
  r.use(
    '/inquiries/*',
    htmlErrorPages(brands, {
      message: (err, answer, locale) => {
        const t = textsOf(locale).errors;
        if (err instanceof InvalidTokenError && err.problem === 'expired') return { title: t.expired.title, text: t.expired.inquiry, status: 410 };
        if (answer.status === 404) return t.inquiryGone;
        return undefined;
      },
    }),
  );
  r.use('/contact', htmlErrorPages(brands));
  r.use('/contact/*', htmlErrorPages(brands));
  r.openAPIRegistry.registerPath(headOf(verifyPageRoute, 'headInquiryVerifyPage'));
  return r
    .openapi(verifyPageRoute, async (c) => {
      const { token } = c.req.valid('param');
      const { inquiry, pending } = await readVerification(deps, token);
      const brand = brands.get(inquiry.brand) ?? defaultBrand;
      return c.html(
        <VerifyPage brand={brand} locale={localeOf(c, brand, inquiry.locale)} inquiry={inquiry} pending={pending} action={`/inquiries/verify/${token}`} />,
        200,
      );
    })
    .openapi(verifyRoute, async (c) => {
      const { token } = c.req.valid('param');
      const { inquiry, alsoVerified } = await verifyInquiry(deps, token);
      const brand = brands.get(inquiry.brand) ?? defaultBrand;
      return c.html(
        <VerifiedPage
          brand={brand}
          locale={localeOf(c, brand, inquiry.locale)}
          inquiry={inquiry}
          also={alsoVerified}
          statusUrl={statusUrlOf(deps, inquiry.reference)}
        />,
        200,
      );
    })
    .openapi(statusRoute, async (c) => {
      const { token } = c.req.valid('param');
      const { inquiry, exportUrl } = await readInquiryStatus(deps, token);
      const brand = brands.get(inquiry.brand) ?? defaultBrand;
      return c.html(
        <StatusPage
          brand={brand}
          locale={localeOf(c, brand, inquiry.locale)}
          inquiry={inquiry}
          self={`/inquiries/status/${token}`}
          {...(exportUrl ? { exportUrl } : {})}
        />,
        200,
      );
    })
    .openapi(contactRoute, (c) => {
      const brand = brandOr404(c);
      if (!brand) return unknownBrand(c);
      return c.html(<ContactPage brands={brands} brand={brand} locale={localeOf(c, brand)} />, 200);
    })
    .openapi(thanksRoute, (c) => {
      const brand = brandOr404(c);
      if (!brand) return unknownBrand(c);
      return c.html(<ThanksPage brand={brand} locale={localeOf(c, brand)} />, 200);
    });
}

import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Brand, Locale } from '../../core/brands';
import { InvalidTokenError, NotFoundError } from '../../core/errors';
import { EXPORT_TYPES } from '../../core/inquiry';
import type { Deps } from '../../deps';
import { statusUrlOf } from '../../mail/inquiry-mail';
import { getExport } from '../../store/exports';
import { getInquiry } from '../../store/inquiries';
import { readVerification, verifyInquiry } from '../../use-cases/verify-inquiry';
import type { AppEnv } from '../env';
import { htmlErrorPages } from '../pages/html-errors';
import { ContactPage, MessagePage, StatusPage, ThanksPage, VerifiedPage, VerifyPage } from '../pages/inquiry-pages';
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
    404: pageAnswer('not-found: no such brand'),
    // This path is outside the group's error pages, so a bad parameter is answered in JSON.
    ...errors('json', { 400: 'invalid-request: a query parameter too long' }),
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
  /** Page routes answer a bad or stale link with a page, not JSON. */
  const linkProblem = (c: Context<AppEnv>, err: unknown) => {
    const locale = localeOf(c, undefined);
    if (err instanceof InvalidTokenError) {
      const status = err.problem === 'malformed' ? 400 : err.problem === 'expired' ? 410 : 403;
      const text =
        err.problem === 'expired'
          ? locale === 'ja'
            ? 'このリンクの有効期限が切れています。お手数ですが、もう一度お問い合わせください。'
            : 'This link has expired. Please send your inquiry again.'
          : locale === 'ja'
            ? 'このリンクは無効です。メールのリンクをそのまま開いてください。'
            : 'This link is not valid. Please open the link from the mail as it is.';
      return c.html(<MessagePage locale={locale} status={status} title={locale === 'ja' ? 'リンクが無効です' : 'Invalid link'} text={text} />, status);
    }
    if (err instanceof NotFoundError) {
      const text =
        locale === 'ja'
          ? 'このお問い合わせは見つかりません（確認されないまま 7 日が過ぎた可能性があります）。もう一度お問い合わせください。'
          : 'We cannot find this inquiry (it may have gone unconfirmed for 7 days). Please send it again.';
      return c.html(<MessagePage locale={locale} status={404} title={locale === 'ja' ? '見つかりません' : 'Not found'} text={text} />, 404);
    }
    throw err;
  };
  const brandOr404 = (c: Context<AppEnv>) => {
    const id = c.req.query('brand');
    return id ? brands.get(id) : defaultBrand;
  };
  const unknownBrand = (c: Context<AppEnv>) => {
    const locale = localeOf(c, undefined);
    return c.html(
      <MessagePage
        locale={locale}
        status={404}
        title={locale === 'ja' ? '見つかりません' : 'Not found'}
        text={locale === 'ja' ? 'このサイトは存在しません。' : 'There is no such site.'}
      />,
      404,
    );
  };

  const r = newRouter();
  r.use('/inquiries/*', htmlErrorPages());
  r.use('/contact', htmlErrorPages());
  r.openAPIRegistry.registerPath(headOf(verifyPageRoute, 'headInquiryVerifyPage'));
  return r
    .openapi(verifyPageRoute, async (c) => {
      const { token } = c.req.valid('param');
      try {
        const { inquiry, pending } = await readVerification(deps, token);
        const brand = brands.get(inquiry.brand) ?? defaultBrand;
        return c.html(
          <VerifyPage brand={brand} locale={localeOf(c, brand, inquiry.locale)} inquiry={inquiry} pending={pending} action={`/inquiries/verify/${token}`} />,
          200,
        );
      } catch (err) {
        return linkProblem(c, err);
      }
    })
    .openapi(verifyRoute, async (c) => {
      const { token } = c.req.valid('param');
      try {
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
      } catch (err) {
        return linkProblem(c, err);
      }
    })
    .openapi(statusRoute, async (c) => {
      const { token } = c.req.valid('param');
      try {
        const { r } = deps.tokens.verify(token, 'status');
        const now = deps.clock.now();
        const inquiry = r ? await getInquiry(deps.db, r, now) : undefined;
        if (!inquiry) throw new NotFoundError('gone');
        const brand = brands.get(inquiry.brand) ?? defaultBrand;
        let exportUrl: string | undefined;
        if (inquiry.status === 'completed' && EXPORT_TYPES.includes(inquiry.type)) {
          const exp = await getExport(deps.db, inquiry.reference, now);
          // A link that lives exactly as long as the export, whenever the page is opened.
          if (exp) exportUrl = `/exports/${deps.tokens.sign('export', { r: inquiry.reference }, exp.expiresAt - Math.floor(now.getTime() / 1000))}`;
        }
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
      } catch (err) {
        return linkProblem(c, err);
      }
    })
    .openapi(contactRoute, (c) => {
      const brand = brandOr404(c);
      if (!brand) return unknownBrand(c);
      return c.html(<ContactPage brand={brand} locale={localeOf(c, brand)} />, 200);
    })
    .openapi(thanksRoute, (c) => {
      const brand = brandOr404(c);
      if (!brand) return unknownBrand(c);
      return c.html(<ThanksPage brand={brand} locale={localeOf(c, brand)} />, 200);
    });
}

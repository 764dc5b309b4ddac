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

/**
 * CONTRACT.md "Privacy inquiries (contact-us form)", the pages: the verification page and its
 * button, the requester's status page, and the demo contact form with its thank-you page. The
 * intake and the export download are in inquiries.ts.
 */
const html = { 'text/html': { schema: z.string() } };
const tokenParam = z.object({ token: z.string().min(1).max(2048) });
const brandQuery = z.object({ brand: z.string().max(64).optional(), lang: z.string().max(8).optional() });

const verifyPageRoute = createRoute({
  method: 'get',
  path: '/inquiries/verify/{token}',
  summary: 'The verification page: a button (a GET changes nothing)',
  tags: ['inquiries'],
  request: { params: tokenParam, query: z.object({ lang: z.string().max(8).optional() }) },
  responses: { 200: { description: 'Page', content: html }, 400: { description: 'Bad link', content: html }, 404: { description: 'Expired', content: html } },
});

const verifyRoute = createRoute({
  method: 'post',
  path: '/inquiries/verify/{token}',
  summary: 'Verify the address: the inquiry is received and its due date set',
  tags: ['inquiries'],
  request: { params: tokenParam, query: z.object({ lang: z.string().max(8).optional() }) },
  responses: {
    200: { description: 'Received page', content: html },
    400: { description: 'Bad link', content: html },
    404: { description: 'Expired', content: html },
  },
});

const statusRoute = createRoute({
  method: 'get',
  path: '/inquiries/status/{token}',
  summary: "The requester's status page",
  tags: ['inquiries'],
  request: { params: tokenParam, query: z.object({ lang: z.string().max(8).optional() }) },
  responses: { 200: { description: 'Page', content: html }, 400: { description: 'Bad link', content: html }, 404: { description: 'Gone', content: html } },
});

const contactRoute = createRoute({
  method: 'get',
  path: '/contact',
  summary: 'Demo contact form of a brand (works without JavaScript)',
  tags: ['inquiries'],
  request: { query: brandQuery },
  responses: { 200: { description: 'Page', content: html }, 404: { description: 'Unknown brand', content: html } },
});

const thanksRoute = createRoute({
  method: 'get',
  path: '/contact/thanks',
  summary: 'Where the contact form lands',
  tags: ['inquiries'],
  request: { query: brandQuery },
  responses: { 200: { description: 'Page', content: html }, 404: { description: 'Unknown brand', content: html } },
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

import { createRoute } from '@hono/zod-openapi';
import type { Brand } from '../../core/brands';
import { INQUIRY_TYPES, MESSAGE_MAX, NAME_MAX } from '../../core/inquiry';
import type { Deps } from '../../deps';
import { readExportDownload } from '../../use-cases/read-inquiry-links';
import { submitInquiry } from '../../use-cases/submit-inquiry';
import { answerNoSoonerThan, isJson, requestMeta, requireBody } from '../middleware';
import { z } from '../openapi-zod';
import { htmlErrorPages, wantsPage } from '../pages/html-errors';
import { contactFormAgain } from '../pages/inquiry-pages';
import { newRouter } from '../router';
import { attachmentHeader, errors, locationHeader, requiredBody } from '../schemas';

/**
 * CONTRACT.md "Privacy inquiries (contact-us form)", the routes that take and give data: intake
 * from JSON and plain HTML forms, and the export download. The pages of the flow are in
 * inquiry-pages.tsx.
 */
const inquiryBody = z
  .object({
    brand: z.string().min(1).max(64),
    type: z.enum(INQUIRY_TYPES),
    email: z.string().min(1).max(320),
    name: z.string().max(NAME_MAX).optional(),
    message: z.string().min(1).max(MESSAGE_MAX),
    locale: z.enum(['ja', 'en']).optional(),
    website: z.string().max(1000).optional().openapi({ description: 'Honeypot: leave empty. A filled one gets the same answer, and nothing happens.' }),
  })
  .openapi('InquiryRequest');

const tokenParam = z.object({ token: z.string().min(1).max(2048).openapi({ description: 'signed export token from the mail or the status page' }) });

const submitRoute = createRoute({
  method: 'post',
  path: '/v1/inquiries',
  operationId: 'submitInquiry',
  summary: 'Send a privacy inquiry (JSON or a plain HTML form)',
  description:
    'Stores the inquiry (status unverified) and mails a verification link to the address; the answer is the same whether or not the address is known, and never sooner than ANSWER_FLOOR_MS (500 ms) after the request. A form body, urlencoded or multipart (a browser form, or a fetch with FormData), gets 303 to the thank-you page; errors are a page when the request asks for text/html. Limited to 20 an hour per client IP.',
  tags: ['inquiries'],
  middleware: [requireBody('json', 'form')] as const,
  request: {
    body: requiredBody({
      'application/json': { schema: inquiryBody },
      'application/x-www-form-urlencoded': { schema: inquiryBody },
      'multipart/form-data': { schema: inquiryBody },
    }),
  },
  responses: {
    202: {
      description: 'JSON: stored; a verification mail is on its way (the same answer whether or not the address is known)',
      content: { 'application/json': { schema: z.object({ reference: z.string().openapi({ example: 'INQ-7KQ2M9XWPD' }), status: z.literal('unverified') }) } },
    },
    303: { description: 'A form body: on to the thank-you page', headers: locationHeader('/contact/thanks?brand=…&lang=…') },
    ...errors('either', { 400: true, 413: true, 415: true, 429: 'rate-limited: 20 inquiries an hour from this client IP', 503: true }),
  },
});

const exportRoute = createRoute({
  method: 'get',
  path: '/exports/{token}',
  operationId: 'downloadExport',
  summary: 'The data export of a completed access or portability request (valid 7 days)',
  description:
    'Every record about the address (profile, topic states, consent ledger, sends, suppressions, inquiries) and the Art. 15(1) facts of the privacy policy, shaped as docs/export.schema.json.',
  tags: ['inquiries'],
  request: { params: tokenParam },
  responses: {
    200: {
      description: 'The export, as an attachment',
      headers: attachmentHeader('attachment; filename="privacy-export-INQ-7KQ2M9XWPD.json"'),
      content: { 'application/json': { schema: z.object({}).passthrough().openapi('DataExport', { description: 'docs/export.schema.json' }) } },
    },
    ...errors('json', {
      400: 'invalid-token: a malformed link',
      403: 'invalid-token: not one of our export links, or expired',
      404: 'not-found: the export no longer exists',
      503: true,
    }),
  },
});

/** POST /v1/inquiries and GET /exports/{token}. */
export function inquiryRoutes(deps: Deps) {
  const brands = deps.config.brands;
  const defaultBrand = brands.list[0] as Brand;

  const r = newRouter();
  // The contact form works without JavaScript, so its errors must be pages a person can read:
  // bad fields bring the form back as typed.
  r.use('/v1/inquiries', answerNoSoonerThan(deps.config.answerFloorMs));
  r.use('/v1/inquiries', htmlErrorPages(brands, { when: wantsPage, form: contactFormAgain(brands) }));
  return r
    .openapi(submitRoute, async (c) => {
      const json = isJson(c.req.header('content-type'));
      const body = json ? c.req.valid('json') : c.req.valid('form');
      const { ip } = requestMeta(c);
      const { reference } = await submitInquiry(deps, { ...body, ...(ip ? { ip } : {}) });
      if (json) return c.json({ reference, status: 'unverified' as const }, 202);
      const brand = brands.get(body.brand) ?? defaultBrand;
      return c.redirect(`/contact/thanks?brand=${encodeURIComponent(brand.id)}&lang=${body.locale ?? brand.defaultLocale}`, 303);
    })
    .openapi(exportRoute, async (c) => {
      const { token } = c.req.valid('param');
      const exp = await readExportDownload(deps, token);
      c.header('Content-Disposition', `attachment; filename="privacy-export-${exp.reference}.json"`);
      c.header('Cache-Control', 'no-store');
      c.header('X-Content-Type-Options', 'nosniff');
      // Served as stored (the route's typing wants c.json): the JSON was made when the request was
      // fulfilled, and parsing it again only to print it again would cost a large export twice.
      return c.body(exp.data, 200, { 'Content-Type': 'application/json; charset=utf-8' }) as never;
    });
}

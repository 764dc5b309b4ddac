import { createRoute, z } from '@hono/zod-openapi';
import type { Brand } from '../../core/brands';
import { NotFoundError } from '../../core/errors';
import { INQUIRY_TYPES, MESSAGE_MAX, NAME_MAX } from '../../core/inquiry';
import type { Deps } from '../../deps';
import { readExport } from '../../store/exports';
import { submitInquiry } from '../../use-cases/submit-inquiry';
import { answerNoSoonerThan, isJson, requestMeta, requireBody } from '../middleware';
import { htmlErrorPages, wantsPage } from '../pages/html-errors';
import { newRouter } from '../router';
import { errorResponses, errorSchema } from '../schemas';

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

const tokenParam = z.object({ token: z.string().min(1).max(2048) });

const submitRoute = createRoute({
  method: 'post',
  path: '/v1/inquiries',
  summary: 'Send a privacy inquiry (JSON or a plain HTML form)',
  description: 'Answered never sooner than ANSWER_FLOOR_MS (500 ms) after the request, so that the time taken does not tell whether the address is known.',
  tags: ['inquiries'],
  middleware: [requireBody('json', 'form')] as const,
  request: { body: { content: { 'application/json': { schema: inquiryBody }, 'application/x-www-form-urlencoded': { schema: inquiryBody } } } },
  responses: {
    202: {
      description: 'Stored; a verification mail is on its way (the same answer whether or not the address is known)',
      content: { 'application/json': { schema: z.object({ reference: z.string(), status: z.literal('unverified') }) } },
    },
    303: { description: 'A browser form: to the thank-you page' },
    429: { description: 'Too many inquiries from this client IP (20 an hour; Retry-After)', content: { 'application/json': { schema: errorSchema } } },
    ...errorResponses,
  },
});

const exportRoute = createRoute({
  method: 'get',
  path: '/exports/{token}',
  summary: 'The data export of a completed access or portability request (valid 7 days)',
  tags: ['inquiries'],
  request: { params: tokenParam },
  responses: {
    200: { description: 'The export (docs/export.schema.json), as an attachment', content: { 'application/json': { schema: z.object({}).passthrough() } } },
    400: errorResponses[400],
    403: { description: 'Bad or expired link', content: { 'application/json': { schema: errorSchema } } },
    404: { description: 'No export (expired)', content: { 'application/json': { schema: errorSchema } } },
  },
});

/** POST /v1/inquiries and GET /exports/{token}. */
export function inquiryRoutes(deps: Deps) {
  const brands = deps.config.brands;
  const defaultBrand = brands.list[0] as Brand;

  const r = newRouter();
  // The contact form works without JavaScript, so its errors must be pages a person can read.
  r.use('/v1/inquiries', answerNoSoonerThan(deps.config.answerFloorMs));
  r.use('/v1/inquiries', htmlErrorPages(wantsPage));
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
      const { r } = deps.tokens.verify(token, 'export');
      const exp = r ? await readExport(deps.db, r, deps.clock.now()) : undefined;
      if (!r || !exp) throw new NotFoundError('This export no longer exists.');
      c.header('Content-Disposition', `attachment; filename="privacy-export-${r}.json"`);
      c.header('Cache-Control', 'no-store');
      c.header('X-Content-Type-Options', 'nosniff');
      // Served as stored (the route's typing wants c.json): the JSON was made when the request was
      // fulfilled, and parsing it again only to print it again would cost a large export twice.
      return c.body(exp.data, 200, { 'Content-Type': 'application/json; charset=utf-8' }) as never;
    });
}

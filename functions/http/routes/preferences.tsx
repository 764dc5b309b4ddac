import { createRoute, z } from '@hono/zod-openapi';
import { consentWording } from '../../core/consent-wording';
import type { PreferenceChange } from '../../core/preferences';
import { textsOf } from '../../core/texts';
import type { Deps } from '../../deps';
import { type PreferencesView, readPreferences } from '../../use-cases/read-preferences';
import { savePreferences } from '../../use-cases/save-preferences';
import { readUnsubscribeToken } from '../../use-cases/subscription-claims';
import { unsubscribeOneClick } from '../../use-cases/unsubscribe-one-click';
import { requestMeta, requireBody } from '../middleware';
import { htmlErrorPages } from '../pages/html-errors';
import { pickLocale } from '../pages/locale';
import { MessagePage } from '../pages/message-page';
import { PreferencePage } from '../pages/subscription-pages';
import { newRouter } from '../router';
import { errorResponses, errorSchema } from '../schemas';

/**
 * The links in marketing mail (CONTRACT.md "Unsubscribe and preferences"): RFC 8058 one-click,
 * the preference center and its form, and the JSON API over the same token.
 */
const tokenParam = z.object({ token: z.string().openapi({ param: { name: 'token', in: 'path' }, description: 'signed unsubscribe token from the email' }) });
const langQuery = z.object({ lang: z.string().max(8).optional().openapi({ description: 'ja or en' }) });
const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });
const htmlErrors = { 400: html('Malformed token or invalid form'), 403: html('Bad token'), 415: html('Not a form') };

// Mail clients send the RFC 8058 body with a trailing line break or padding (and some append `&`);
// what matters is the one value, so white space around it is allowed and nothing else.
const oneClickBody = z.object({
  'List-Unsubscribe': z
    .string()
    .regex(/^\s*One-Click\s*$/, 'must be One-Click')
    .openapi({ example: 'One-Click', description: '`One-Click` (RFC 8058); white space around it, such as a trailing CRLF, is accepted' }),
});
const oneClick = createRoute({
  method: 'post',
  path: '/u/{token}',
  summary: "RFC 8058 one-click unsubscribe of the token's topic",
  description: 'No cookie, login or confirmation; 200 with a short page, never a redirect; idempotent.',
  tags: ['preferences'],
  middleware: [requireBody('form')] as const,
  request: {
    params: tokenParam,
    query: langQuery,
    body: { content: { 'application/x-www-form-urlencoded': { schema: oneClickBody }, 'multipart/form-data': { schema: oneClickBody } } },
  },
  responses: { 200: html('Unsubscribed'), ...htmlErrors },
});

const page = createRoute({
  method: 'get',
  path: '/u/{token}',
  summary: 'The preference center page (GET and HEAD change nothing)',
  tags: ['preferences'],
  request: { params: tokenParam, query: langQuery.extend({ saved: z.string().max(8).optional() }) },
  responses: { 200: html('Preference center'), 400: html('Malformed token'), 403: html('Bad token') },
});

const pageFormBody = z.object({
  topics: z
    .union([z.string().max(64), z.array(z.string().max(64)).max(32)])
    .optional()
    .openapi({ description: 'repeated: the topics to stay subscribed to' }),
  action: z.enum(['save', 'unsubscribe-all', 'resubscribe']).optional(),
});
const pageSubmit = createRoute({
  method: 'post',
  path: '/u/{token}/preferences',
  summary: 'Form submit of the preference center; 303 back to the page with a saved notice',
  tags: ['preferences'],
  middleware: [requireBody('form')] as const,
  request: {
    params: tokenParam,
    query: langQuery,
    body: { content: { 'application/x-www-form-urlencoded': { schema: pageFormBody }, 'multipart/form-data': { schema: pageFormBody } } },
  },
  responses: { 303: { description: 'Back to /u/{token}?saved=1' }, ...htmlErrors },
});

const state = z.enum(['subscribed', 'pending', 'unsubscribed']);
const preferencesJson = z
  .object({
    brand: z.string().openapi({ example: 'livlog' }),
    email: z.string().nullable().openapi({ example: 't***@example.com', description: 'masked; null when no address is stored' }),
    topics: z.record(z.string(), state).openapi({ example: { newsletter: 'subscribed', promotions: 'unsubscribed' } }),
    updatedAt: z.string().nullable(),
  })
  .openapi('Preferences');

const preferencesPut = z
  .object({
    topics: z.record(z.string().max(64), z.enum(['subscribed', 'unsubscribed'])).optional(),
    all: z.literal('unsubscribed').optional(),
  })
  .strict()
  .refine((b) => (b.topics === undefined) !== (b.all === undefined), { message: 'send either "topics" or "all"' })
  .openapi('PreferencesChange');

const jsonErrors = {
  ...errorResponses,
  403: { description: 'Bad token signature or purpose', content: { 'application/json': { schema: errorSchema } } },
};

const getJson = createRoute({
  method: 'get',
  path: '/v1/preferences/{token}',
  summary: 'The preferences named by an unsubscribe token',
  tags: ['preferences'],
  request: { params: tokenParam },
  responses: { 200: { description: 'Preferences', content: { 'application/json': { schema: preferencesJson } } }, ...jsonErrors },
});

const putJson = createRoute({
  method: 'put',
  path: '/v1/preferences/{token}',
  summary: 'Change topic states, or unsubscribe from all of the brand',
  description: '"subscribed" restores a topic the person once confirmed; any other topic becomes "pending" and a confirmation mail goes out (double opt-in).',
  tags: ['preferences'],
  middleware: [requireBody('json')] as const,
  request: { params: tokenParam, body: { content: { 'application/json': { schema: preferencesPut } } } },
  responses: { 200: { description: 'Preferences after the change', content: { 'application/json': { schema: preferencesJson } } }, ...jsonErrors },
});

const toJson = (v: PreferencesView) => ({
  brand: v.brand.id,
  email: v.email ?? null,
  topics: Object.fromEntries(v.topics.map((t) => [t.id, t.state])),
  updatedAt: v.updatedAt ?? null,
});

/** /u/{token} (one-click, page, form) and /v1/preferences/{token}. */
export function preferenceRoutes(deps: Deps) {
  const r = newRouter();
  const brands = deps.config.brands;
  /** The claims of an authentic unsubscribe link in the path, for its error pages. */
  const claimsIn = (path: string) => {
    const token = path.split('/')[2];
    try {
      return token ? { token, brand: readUnsubscribeToken(deps, token).brand } : undefined;
    } catch {
      return undefined;
    }
  };
  r.use(
    '/u/*',
    htmlErrorPages(brands, {
      brandOf: (c) => claimsIn(c.req.path)?.brand,
      back: (c, locale) => {
        const claims = claimsIn(c.req.path);
        return claims && { href: `/u/${claims.token}?lang=${locale}`, label: textsOf(locale).errors.wayOn.preferences };
      },
    }),
  );

  r.openapi(oneClick, async (c) => {
    const { token } = c.req.valid('param');
    const { brand, topic, changed } = await unsubscribeOneClick(deps, { token, ...requestMeta(c) });
    c.get('log').info('one-click unsubscribe', { brand: brand.id, changed });
    const locale = pickLocale(brand, c.req.valid('query').lang, c.req.header('accept-language'));
    const t = textsOf(locale).pages;
    return c.html(
      <MessagePage
        brand={brand}
        locale={locale}
        title={t.oneClick.title}
        lines={[t.oneClick.body(brand.name[locale], brands.topicLabel(topic, locale))]}
        links={[{ href: `/u/${token}?lang=${locale}`, label: t.confirmed.manage }]}
      />,
      200,
    );
  });

  r.openapi(page, async (c) => {
    const { token } = c.req.valid('param');
    const { lang, saved } = c.req.valid('query');
    const view = await readPreferences(deps, token);
    const locale = pickLocale(view.brand, lang, c.req.header('accept-language'));
    const label = (id: string) => brands.topicLabel(id, locale);
    return c.html(
      <PreferencePage
        brand={view.brand}
        locale={locale}
        token={token}
        {...(view.email ? { email: view.email } : {})}
        topics={view.topics.map((x) => ({ ...x, label: label(x.id) }))}
        resubscribable={view.resubscribable.map((id) => ({ id, label: label(id) }))}
        wording={consentWording('preferences', locale, view.brand.name[locale])}
        saved={saved === '1'}
      />,
      200,
    );
  });

  r.openapi(pageSubmit, async (c) => {
    const { token } = c.req.valid('param');
    const { brand } = readUnsubscribeToken(deps, token);
    const form = c.req.valid('form');
    const locale = pickLocale(brand, c.req.valid('query').lang, c.req.header('accept-language'));
    const kept = form.topics === undefined ? [] : typeof form.topics === 'string' ? [form.topics] : form.topics;
    const change: PreferenceChange =
      form.action === 'unsubscribe-all' || form.action === 'resubscribe'
        ? { kind: form.action }
        : {
            kind: 'topics',
            topics: Object.fromEntries([...brand.topics, ...kept].map((t) => [t, kept.includes(t) ? ('subscribed' as const) : ('unsubscribed' as const)])),
          };
    await savePreferences(deps, { token, change, source: 'preference-page', locale, ...requestMeta(c) });
    return c.redirect(`/u/${token}?saved=1&lang=${locale}`, 303);
  });

  r.openapi(getJson, async (c) => c.json(toJson(await readPreferences(deps, c.req.valid('param').token)), 200));

  r.openapi(putJson, async (c) => {
    const { token } = c.req.valid('param');
    const body = c.req.valid('json');
    const { brand } = readUnsubscribeToken(deps, token);
    const change: PreferenceChange = body.all ? { kind: 'unsubscribe-all' } : { kind: 'topics', topics: body.topics ?? {} };
    const view = await savePreferences(deps, { token, change, source: 'api', locale: brand.defaultLocale, ...requestMeta(c) });
    return c.json(toJson(view), 200);
  });
  return r;
}

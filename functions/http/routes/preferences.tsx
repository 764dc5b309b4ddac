import { createRoute } from '@hono/zod-openapi';
import { consentWording } from '../../core/consent-wording';
import type { PreferenceChange } from '../../core/preferences';
import type { Deps } from '../../deps';
import { type PreferencesView, readPreferences } from '../../use-cases/read-preferences';
import { savePreferences } from '../../use-cases/save-preferences';
import { readUnsubscribeToken } from '../../use-cases/subscription-claims';
import { requestMeta, requireBody } from '../middleware';
import { z } from '../openapi-zod';
import { pickLocale } from '../pages/locale';
import { PreferencePage } from '../pages/subscription-pages';
import { newRouter } from '../router';
import { errors, formEncoding, headOf, locationHeader, pageAnswer, repeatedField, requiredBody } from '../schemas';
import { LANG_MAX, ONE_CLICK_VALUE, unsubscribeLinkErrorPages } from './one-click';

/**
 * The links in marketing mail (CONTRACT.md "Unsubscribe and preferences"): RFC 8058 one-click,
 * the preference center and its form, and the JSON API over the same token.
 */
const tokenParam = z.object({ token: z.string().openapi({ param: { name: 'token', in: 'path' }, description: 'signed unsubscribe token from the email' }) });
const langQuery = z.object({ lang: z.string().max(LANG_MAX).optional().openapi({ description: 'ja or en' }) });
const tokenErrors = {
  400: 'invalid-token (a malformed link) or invalid-request (a bad parameter or field)',
  403: 'invalid-token: not one of our unsubscribe links',
} as const;
const formErrors = errors('page', { ...tokenErrors, 413: true, 415: 'unsupported-media-type: not a form', 503: true });

const oneClickBody = z
  .object({
    'List-Unsubscribe': z
      .string()
      .regex(ONE_CLICK_VALUE, 'must be One-Click')
      .openapi({ example: 'One-Click', description: '`One-Click` (RFC 8058); white space around it, such as a trailing CRLF, is accepted' }),
  })
  .openapi('OneClickForm');
const oneClick = createRoute({
  method: 'post',
  path: '/u/{token}',
  operationId: 'unsubscribeOneClick',
  summary: "RFC 8058 one-click unsubscribe of the token's topic",
  description:
    'What Gmail and Yahoo send from the List-Unsubscribe header. No cookie, login or confirmation; 200 with a short page, never a redirect; idempotent. Works for an address never stored or erased (a suppression is recorded under its keyed hash).',
  tags: ['preferences'],
  middleware: [requireBody('form')] as const,
  request: {
    params: tokenParam,
    query: langQuery,
    body: requiredBody({ 'application/x-www-form-urlencoded': { schema: oneClickBody }, 'multipart/form-data': { schema: oneClickBody } }),
  },
  responses: { 200: pageAnswer('Unsubscribed'), ...formErrors },
});

const page = createRoute({
  method: 'get',
  path: '/u/{token}',
  operationId: 'showPreferenceCenter',
  summary: 'The preference center page (GET and HEAD change nothing)',
  description:
    "First the unsubscribe of the link's own topic (a form posting the RFC 8058 one-click to /u/{token}), then each topic's state, with forms to save topic choices, unsubscribe from everything of the brand, or resubscribe. Language from ?lang=, then Accept-Language, then the brand's default. Reads only: link scanners and mail gateways open it.",
  tags: ['preferences'],
  request: { params: tokenParam, query: langQuery.extend({ saved: z.string().max(8).optional().openapi({ description: '1: show the saved notice' }) }) },
  responses: { 200: pageAnswer('Preference center'), ...errors('page', { ...tokenErrors, 503: true }) },
});

const pageFormBody = z
  .object({
    topics: repeatedField(z.array(z.string().max(64)).max(32))
      .optional()
      .openapi({ description: 'the field once per topic to stay subscribed to; the other topics of the brand are unsubscribed' }),
    action: z.enum(['save', 'unsubscribe-all', 'resubscribe']).optional().openapi({ description: 'save (the default): the topics as ticked' }),
  })
  .openapi('PreferenceForm');
const topicsEncoding = formEncoding('topics');
const pageSubmit = createRoute({
  method: 'post',
  path: '/u/{token}/preferences',
  operationId: 'submitPreferenceForm',
  summary: 'Form submit of the preference center; 303 back to the page with a saved notice',
  description:
    'A topic the person once confirmed is restored at once; any other topic ticked becomes pending and a confirmation mail goes out (double opt-in). Unticking unsubscribes.',
  tags: ['preferences'],
  middleware: [requireBody('form')] as const,
  request: {
    params: tokenParam,
    query: langQuery,
    body: requiredBody({
      'application/x-www-form-urlencoded': { schema: pageFormBody, encoding: topicsEncoding },
      'multipart/form-data': { schema: pageFormBody, encoding: topicsEncoding },
    }),
  },
  responses: { 303: { description: 'Back to the page, which shows that it saved', headers: locationHeader('/u/{token}?saved=1&lang=…') }, ...formErrors },
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

const jsonTokenErrors = { 400: tokenErrors[400], 403: tokenErrors[403], 503: true } as const;

const getJson = createRoute({
  method: 'get',
  path: '/v1/preferences/{token}',
  operationId: 'getPreferences',
  summary: 'The preferences named by an unsubscribe token',
  description: 'Every topic of the brand is listed; one never subscribed is "unsubscribed". The address is masked.',
  tags: ['preferences'],
  request: { params: tokenParam },
  responses: { 200: { description: 'Preferences', content: { 'application/json': { schema: preferencesJson } } }, ...errors('json', jsonTokenErrors) },
});

const putJson = createRoute({
  method: 'put',
  path: '/v1/preferences/{token}',
  operationId: 'updatePreferences',
  summary: 'Change topic states, or unsubscribe from all of the brand',
  description:
    '"subscribed" restores a topic the person once confirmed; any other topic becomes "pending" and a confirmation mail goes out (double opt-in). An unknown topic is 400 with details naming topics.<name>.',
  tags: ['preferences'],
  middleware: [requireBody('json')] as const,
  request: { params: tokenParam, body: requiredBody({ 'application/json': { schema: preferencesPut } }) },
  responses: {
    200: { description: 'Preferences after the change', content: { 'application/json': { schema: preferencesJson } } },
    ...errors('json', { ...jsonTokenErrors, 413: true, 415: true }),
  },
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
  r.use('/u/*', unsubscribeLinkErrorPages(deps));
  // Served by one-click.tsx, without a schema library; documented here with its siblings.
  const { middleware: _served, ...oneClickDocumented } = oneClick;
  r.openAPIRegistry.registerPath(oneClickDocumented);
  r.openAPIRegistry.registerPath(headOf(page, 'headPreferenceCenter'));

  r.openapi(page, async (c) => {
    const { token } = c.req.valid('param');
    const { lang, saved } = c.req.valid('query');
    const view = await readPreferences(deps, token);
    const { topic } = readUnsubscribeToken(deps, token);
    const locale = pickLocale(view.brand, lang, c.req.header('accept-language'));
    const label = (id: string) => brands.topicLabel(id, locale);
    return c.html(
      <PreferencePage
        brand={view.brand}
        locale={locale}
        token={token}
        {...(view.email ? { email: view.email } : {})}
        topics={view.topics.map((x) => ({ ...x, label: label(x.id) }))}
        topic={topic}
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

import { createRoute } from '@hono/zod-openapi';
import { LOCALES } from '../../core/brands';
import { consentWording } from '../../core/consent-wording';
import { textsOf } from '../../core/texts';
import type { Deps } from '../../deps';
import { confirmSubscription } from '../../use-cases/confirm-subscription';
import { requestSubscription } from '../../use-cases/request-subscription';
import { readConfirmToken } from '../../use-cases/subscription-claims';
import { answerNoSoonerThan, isJson, requestMeta, requireBody } from '../middleware';
import { z } from '../openapi-zod';
import { wayOn } from '../pages/error-page';
import { htmlErrorPages, wantsPage } from '../pages/html-errors';
import { pickLocale } from '../pages/locale';
import { MessagePage } from '../pages/message-page';
import { SubscribeFormPage } from '../pages/subscribe-form';
import { ConfirmExpiredPage, ConfirmedPage, ConfirmPage } from '../pages/subscription-pages';
import { newRouter } from '../router';
import { errors, formEncoding, headOf, locationHeader, pageAnswer, repeatedField, requiredBody } from '../schemas';

/**
 * Subscribing with double opt-in (CONTRACT.md "Subscribing"): POST /v1/subscriptions, the
 * confirmation pages, and the "check your mail" page a browser form lands on.
 */
const sourceField = z
  .string()
  .max(64)
  .regex(/^[A-Za-z0-9_.:/-]+$/, 'letters, digits and _ . : / - only')
  .optional()
  .openapi({ description: 'Where the sign-up came from (a form name); recorded with the consent.' });

const subscriptionJson = z
  .object({
    brand: z.string().max(64).openapi({ example: 'livlog' }),
    email: z.string().max(320).openapi({ example: 'taro@example.com' }),
    topics: z
      .array(z.string().max(64))
      .min(1)
      .max(32)
      .openapi({ example: ['newsletter'] }),
    locale: z.enum(LOCALES).optional(),
    source: sourceField,
  })
  .openapi('SubscriptionRequest');

const repeatedEncoding = formEncoding('topics');

const subscriptionForm = subscriptionJson
  .extend({ topics: repeatedField(z.array(z.string().max(64)).min(1).max(32)).openapi({ description: 'the field once per topic', example: ['newsletter'] }) })
  .openapi('SubscriptionForm');

const tokenParam = z.object({ token: z.string().openapi({ param: { name: 'token', in: 'path' }, description: 'signed confirm token from the email' }) });
const langQuery = z.object({ lang: z.string().max(8).optional().openapi({ description: 'ja or en' }) });

const subscribe = createRoute({
  method: 'post',
  path: '/v1/subscriptions',
  operationId: 'requestSubscription',
  summary: 'Request a subscription (double opt-in)',
  description:
    'Always 202 {"status":"pending-confirmation"}, whatever the address\'s state, and never sooner than ANSWER_FLOOR_MS (500 ms) after the request, so that the time taken does not tell either. A confirmation mail links to /confirm/{token}; nothing is sendable until it is confirmed. A browser form (a form body with Accept: text/html) gets 303 to a "check your mail" page instead, and its errors as a page; a fetch with FormData gets the JSON. Limited to 20 an hour per client IP.',
  tags: ['subscriptions'],
  middleware: [requireBody('json', 'form')] as const,
  request: {
    body: requiredBody({
      'application/json': { schema: subscriptionJson },
      'application/x-www-form-urlencoded': { schema: subscriptionForm, encoding: repeatedEncoding },
      'multipart/form-data': { schema: subscriptionForm, encoding: repeatedEncoding },
    }),
  },
  responses: {
    202: {
      description: 'Accepted; a confirmation mail is sent unless one went out in the last 10 minutes, or the mailbox had its share of mail this hour',
      content: { 'application/json': { schema: z.object({ status: z.literal('pending-confirmation') }) } },
    },
    303: { description: 'A browser form: on to the "check your mail" page', headers: locationHeader('/subscriptions/check-your-mail?brand=…&lang=…') },
    ...errors('either', { 400: true, 413: true, 415: true, 429: 'rate-limited: 20 requests an hour from this client IP', 503: true }),
  },
});

const checkMail = createRoute({
  method: 'get',
  path: '/subscriptions/check-your-mail',
  operationId: 'showCheckYourMailPage',
  summary: 'Page: check your mail (after a browser form subscription)',
  description: 'Where a browser form subscription lands: says that a confirmation mail is on its way. Reads nothing.',
  tags: ['subscriptions'],
  request: { query: langQuery.extend({ brand: z.string().max(64).optional() }) },
  responses: { 200: pageAnswer('Page'), ...errors('page', { 400: 'invalid-request: a query parameter too long' }) },
});

const expired = pageAnswer('The link expired (after 7 days): a form that asks for the address again and posts to /v1/subscriptions');
const tokenErrors = {
  400: 'invalid-token (a malformed link) or invalid-request (a bad parameter or field)',
  403: 'invalid-token: not one of our confirm links',
} as const;

const confirmPage = createRoute({
  method: 'get',
  path: '/confirm/{token}',
  operationId: 'showConfirmPage',
  summary: 'Page with the confirm button (GET and HEAD change nothing)',
  description:
    'Shows the topics, the consent sentence and the policy version, and a button that posts to the same URL. Link scanners may open it: it reads only the token.',
  tags: ['subscriptions'],
  request: { params: tokenParam, query: langQuery },
  responses: { 200: pageAnswer('Confirm page'), 410: expired, ...errors('page', tokenErrors) },
});

/** The locale of the page the button was on, so the wording recorded is the one that was read. */
const confirmForm = z.object({ locale: z.enum(LOCALES).optional() }).openapi('ConfirmForm');

const confirm = createRoute({
  method: 'post',
  path: '/confirm/{token}',
  operationId: 'confirmSubscription',
  summary: 'Confirm the subscription: the topics become subscribed',
  description:
    'Records the consent (time, source, IP, user agent, the sentence shown in the language of the page, the policy version). Repeating it changes nothing. A link whose brand no longer offers the topics gets a page saying so.',
  tags: ['subscriptions'],
  request: {
    params: tokenParam,
    query: langQuery,
    body: {
      content: {
        'application/x-www-form-urlencoded': { schema: confirmForm },
        'multipart/form-data': { schema: confirmForm },
      },
    },
  },
  responses: { 200: pageAnswer('Confirmed'), 410: expired, ...errors('page', { ...tokenErrors, 413: true, 415: true, 503: true }) },
});

/** POST /v1/subscriptions, the confirmation pages and the check-your-mail page. */
export function subscriptionRoutes(deps: Deps) {
  const r = newRouter();
  const brands = deps.config.brands;
  /** The brand of an authentic confirmation link, expired or not, for its error pages. */
  const confirmBrand = (token: string | undefined) => {
    try {
      return token ? readConfirmToken(deps, token).brand : undefined;
    } catch {
      return undefined;
    }
  };
  r.use('/v1/subscriptions', answerNoSoonerThan(deps.config.answerFloorMs));
  // A browser form with bad fields comes back as the form; other errors are pages with a way on.
  r.use('/v1/subscriptions', htmlErrorPages(brands, { when: wantsPage, form: (_c, again) => <SubscribeFormPage brands={brands} again={again} /> }));
  r.use('/confirm/*', htmlErrorPages(brands, { brandOf: (c) => confirmBrand(c.req.path.split('/')[2]) }));
  r.use('/subscriptions/*', htmlErrorPages(brands));
  r.openAPIRegistry.registerPath(headOf(confirmPage, 'headConfirmPage'));

  r.openapi(subscribe, async (c) => {
    const body = isJson(c.req.header('content-type')) ? c.req.valid('json') : c.req.valid('form');
    await requestSubscription(deps, {
      brand: body.brand,
      email: body.email,
      topics: typeof body.topics === 'string' ? [body.topics] : body.topics,
      ...(body.locale ? { locale: body.locale } : {}),
      ...(body.source ? { source: body.source } : {}),
      ...requestMeta(c),
    });
    if (wantsPage(c)) {
      const q = new URLSearchParams({ brand: body.brand, lang: body.locale ?? pickLocale(brands.get(body.brand), undefined, c.req.header('accept-language')) });
      return c.redirect(`/subscriptions/check-your-mail?${q}`, 303);
    }
    return c.json({ status: 'pending-confirmation' as const }, 202);
  });

  r.openapi(checkMail, async (c) => {
    const { brand: brandId, lang } = c.req.valid('query');
    const brand = brandId ? brands.get(brandId) : undefined;
    const locale = pickLocale(brand, lang, c.req.header('accept-language'));
    const t = textsOf(locale).pages.checkMail;
    return c.html(<MessagePage {...(brand ? { brand } : {})} locale={locale} title={t.title} lines={[t.body]} />, 200);
  });

  r.openapi(confirmPage, async (c) => {
    const { token } = c.req.valid('param');
    const claims = readConfirmToken(deps, token);
    const { brand } = claims;
    const locale = pickLocale(brand, c.req.valid('query').lang ?? claims.locale, c.req.header('accept-language'));
    if (claims.expired) return c.html(<ConfirmExpiredPage brand={brand} locale={locale} topics={claims.topics} />, 410);
    return c.html(
      <ConfirmPage
        brand={brand}
        locale={locale}
        token={token}
        topicLabels={claims.topics.map((t) => brands.topicLabel(t, locale))}
        wording={consentWording('confirm', locale, brand.name[locale])}
        policyVersion={deps.config.policyVersion}
      />,
      200,
    );
  });

  r.openapi(confirm, async (c) => {
    const { token } = c.req.valid('param');
    const claims = readConfirmToken(deps, token);
    const shown = c.req.valid('form').locale;
    const locale = shown ?? pickLocale(claims.brand, c.req.valid('query').lang ?? claims.locale, c.req.header('accept-language'));
    const outcome = await confirmSubscription(deps, { token, locale, ...requestMeta(c) });
    const t = textsOf(locale).pages.unusable;
    if (outcome.kind === 'expired') return c.html(<ConfirmExpiredPage brand={outcome.brand} locale={locale} topics={outcome.topics} />, 410);
    if (outcome.kind === 'unusable') {
      return c.html(
        <MessagePage brand={outcome.brand} locale={locale} title={t.title} lines={[t.body]} links={wayOn(brands, outcome.brand, locale).links} />,
        200,
      );
    }
    c.get('log').info('subscription confirmed', { brand: outcome.brand.id, topics: outcome.topics.length, changed: outcome.changed });
    return c.html(
      <ConfirmedPage
        brand={outcome.brand}
        locale={locale}
        topicLabels={outcome.topics.map((x) => brands.topicLabel(x, locale))}
        manageUrl={`/u/${outcome.manageToken}?lang=${locale}`}
      />,
      200,
    );
  });
  return r;
}

import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { validator } from 'hono/validator';
import type { Brand, Locale } from '../../core/brands';
import { ValidationError } from '../../core/errors';
import { own } from '../../core/own';
import { textsOf } from '../../core/texts';
import type { Deps } from '../../deps';
import { readUnsubscribeToken } from '../../use-cases/subscription-claims';
import { unsubscribeOneClick } from '../../use-cases/unsubscribe-one-click';
import type { AppEnv } from '../env';
import { requestMeta, requireBody } from '../middleware';
import { htmlErrorPages } from '../pages/html-errors';
import { pickLocale } from '../pages/locale';
import { MessagePage } from '../pages/message-page';

/**
 * RFC 8058 one-click, `POST /u/{token}`, as a route group of its own with no schema library:
 * most cold starts of the public function are a mailbox provider's one-click, and loading zod and
 * the OpenAPI machinery for it took a third of the start (bench/README.md, "Cold start"). The
 * checks below are the route's whole schema; preferences.tsx documents the route with the same
 * rules, and test/integration/openapi-server.test.ts holds the answers to that document.
 */

// Mail clients send the RFC 8058 body with a trailing line break or padding (and some append `&`);
// what matters is the one value, so white space around it is allowed and nothing else.
export const ONE_CLICK_VALUE = /^\s*One-Click\s*$/;
export const LANG_MAX = 8;

const langOf = validator('query', (query) => {
  const lang = own(query, 'lang');
  if (lang === undefined) return {};
  if (typeof lang !== 'string' || lang.length > LANG_MAX) {
    throw new ValidationError('Some fields are missing or not valid.', [{ path: 'lang', message: `one value of at most ${LANG_MAX} characters` }]);
  }
  return { lang };
});

const FIELD = 'List-Unsubscribe';
const URLENCODED = /^application\/x-www-form-urlencoded/i;

/**
 * The one field, read once and directly: a urlencoded body (what Gmail and Yahoo send) as
 * URLSearchParams, a multipart one through the platform's FormData. Missing, sent twice or with
 * another value, it is refused (400, "must be One-Click"). A body that is not the form its
 * Content-Type says answers as Hono's validators answer it (http/errors.ts). What counts as a form
 * is requireBody's call, a little more lenient than the OpenAPI gate was (`; charset` after a
 * space, a parameter before the boundary): RFC 8058 senders vary there.
 */
const oneClickForm: MiddlewareHandler<AppEnv> = async (c, next) => {
  let values: unknown[];
  try {
    const type = c.req.header('content-type') ?? '';
    // Parsed apart from the request, as Hono's validators do: a broken body leaves no rejected
    // promise in the request's body cache for the error page to trip over.
    values = URLENCODED.test(type)
      ? new URLSearchParams(await c.req.text()).getAll(FIELD)
      : (await new Response(await c.req.arrayBuffer(), { headers: { 'content-type': type } }).formData()).getAll(FIELD);
  } catch (cause) {
    throw new HTTPException(400, { message: 'Malformed FormData request.', cause });
  }
  const [value] = values;
  if (values.length !== 1 || typeof value !== 'string' || !ONE_CLICK_VALUE.test(value)) {
    throw new ValidationError('Some fields are missing or not valid.', [{ path: FIELD, message: 'must be One-Click' }]);
  }
  await next();
};

/**
 * The error pages of every route under `/u/{token}`: the brand of an authentic link, and the way
 * back to its preference center.
 */
export function unsubscribeLinkErrorPages(deps: Deps) {
  const claimsIn = (c: Context<AppEnv>) => {
    const token = c.req.path.split('/')[2];
    try {
      return token ? { token, brand: readUnsubscribeToken(deps, token).brand } : undefined;
    } catch {
      return undefined;
    }
  };
  return htmlErrorPages(deps.config.brands, {
    brandOf: (c) => claimsIn(c)?.brand,
    back: (c, locale) => {
      const claims = claimsIn(c);
      return claims && { href: `/u/${claims.token}?lang=${locale}`, label: textsOf(locale).errors.wayOn.preferences };
    },
  });
}

/** Where the token goes in a cached page; no token can hold it (they are base64url and a dot). */
const TOKEN_SLOT = '{{token}}';
const TOKEN = /^[A-Za-z0-9_.-]+$/;

export function oneClickRoutes(deps: Deps): Hono<AppEnv> {
  const brands = deps.config.brands;
  // The page depends on the brand, the language and the topic but for the token in its link:
  // rendered once for each (as many as the topics we ever signed links for: only a verified
  // token gets here), the token put in its place on every request, instead of the page rendered
  // on each.
  const pages = new Map<string, Promise<[string, string]>>();
  const render = async (brand: Brand, locale: Locale, topic: string, token: string): Promise<string> => {
    const t = textsOf(locale).pages;
    const page = (
      <MessagePage
        brand={brand}
        locale={locale}
        title={t.oneClick.title}
        lines={[t.oneClick.body(brand.name[locale], brands.topicLabel(topic, locale))]}
        links={[{ href: `/u/${token}?lang=${locale}`, label: t.confirmed.manage }]}
      />
    );
    return (page as unknown as { toString(): string | Promise<string> }).toString();
  };
  const pageFor = async (brand: Brand, locale: Locale, topic: string, token: string): Promise<string> => {
    if (!TOKEN.test(token)) return render(brand, locale, topic, token);
    const key = `${brand.id}\n${locale}\n${topic}`;
    let page = pages.get(key);
    if (!page) {
      page = render(brand, locale, topic, TOKEN_SLOT).then((html) => {
        const parts = html.split(TOKEN_SLOT);
        // A brand's name or a topic's label holding the slot's text would split the page wrongly.
        if (parts.length !== 2) throw new Error('the one-click page does not hold the token slot exactly once');
        return parts as [string, string];
      });
      pages.set(key, page);
      page.catch(() => pages.delete(key));
    }
    const parts = await page.catch(() => undefined);
    if (!parts) return render(brand, locale, topic, token);
    return `${parts[0]}${token}${parts[1]}`;
  };
  return new Hono<AppEnv>().post('/u/:token', unsubscribeLinkErrorPages(deps), requireBody('form'), langOf, oneClickForm, async (c) => {
    const token = c.req.param('token');
    const { brand, topic, changed } = await unsubscribeOneClick(deps, { token, ...requestMeta(c) });
    c.get('log').info('one-click unsubscribe', { brand: brand.id, changed });
    const locale = pickLocale(brand, c.req.valid('query').lang, c.req.header('accept-language'));
    return c.html(await pageFor(brand, locale, topic, token), 200);
  });
}

import { type Context, Hono } from 'hono';
import { validator } from 'hono/validator';
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

const oneClickForm = validator('form', (form) => {
  const value = own(form, 'List-Unsubscribe');
  if (typeof value !== 'string' || !ONE_CLICK_VALUE.test(value)) {
    throw new ValidationError('Some fields are missing or not valid.', [{ path: 'List-Unsubscribe', message: 'must be One-Click' }]);
  }
  return { 'List-Unsubscribe': value };
});

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

export function oneClickRoutes(deps: Deps): Hono<AppEnv> {
  const brands = deps.config.brands;
  return new Hono<AppEnv>().post('/u/:token', unsubscribeLinkErrorPages(deps), requireBody('form'), langOf, oneClickForm, async (c) => {
    const token = c.req.param('token');
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
}

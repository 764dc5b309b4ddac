import type { Context } from 'hono';
import type { Brand, Brands, Locale } from '../../core/brands';
import { textsOf } from '../../core/texts';
import type { AppEnv } from '../env';
import { MessagePage, type WayOn } from './message-page';

/**
 * An error page in the brand's look and the page's language that says what happened and where to
 * go on (CONTRACT.md "Errors"): the brand's site and its contact form when the request named a
 * brand, else every site, since nothing says which one the person came from.
 */
export interface ErrorPage {
  status: number;
  locale: Locale;
  brand?: Brand;
  title: string;
  lines: string[];
  /** A way back that this situation has, before the brand's own (e.g. the preference page). */
  back?: WayOn;
  headers?: Record<string, string>;
}

export function wayOn(brands: Brands, brand: Brand | undefined, locale: Locale): { links: WayOn[]; linksTitle?: string } {
  const t = textsOf(locale).errors.wayOn;
  if (brand) {
    return {
      links: [
        { href: brand.origin, label: t.site(brand.name[locale]) },
        { href: `/contact?brand=${encodeURIComponent(brand.id)}&lang=${locale}`, label: t.contact },
      ],
    };
  }
  return { links: brands.list.map((b) => ({ href: b.origin, label: b.name[locale] })), linksTitle: t.sites };
}

export function errorPage(c: Context<AppEnv>, brands: Brands, page: ErrorPage) {
  const on = wayOn(brands, page.brand, page.locale);
  return c.html(
    <MessagePage
      {...(page.brand ? { brand: page.brand } : {})}
      locale={page.locale}
      title={page.title}
      lines={page.lines}
      tone="error"
      links={page.back ? [page.back, ...on.links] : on.links}
      {...(on.linksTitle ? { linksTitle: on.linksTitle } : {})}
    />,
    page.status as 400,
    page.headers ?? {},
  );
}

import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { type Brand, LOCALES, type Locale } from '../../core/brands';
import { textsOf } from '../../core/texts';

export interface LayoutProps {
  title: string;
  locale: Locale;
  brand?: Brand;
  /** Links to this page in the other locales (same URL with `?lang=`). */
  langLinks?: { locale: Locale; href: string; label: string }[];
  /** A header of the page's own in place of the brand's (the console's menu and sign-out). */
  header?: Child;
  /** Wider main column, for pages of tables (the console). */
  wide?: boolean;
  children?: Child;
}

/** This page in every locale: the same path and query, with `lang` set. */
export function langLinks(href: string): NonNullable<LayoutProps['langLinks']> {
  const [path = '', query = ''] = href.split('?');
  return LOCALES.map((l) => {
    const q = new URLSearchParams(query);
    q.set('lang', l);
    return { locale: l, href: `${path}?${q}`, label: textsOf(l).pages.layout.languageNames[l] };
  });
}

/**
 * The frame of every page: brand name, language switch, the brand's privacy policy. No script;
 * the only stylesheet is /assets/site.css. hono/jsx escapes every interpolated value.
 */
export function Layout(props: LayoutProps) {
  // Without a doctype browsers render in quirks mode, which breaks the responsive layout.
  return (
    <>
      {raw('<!doctype html>')}
      <Document {...props} />
    </>
  );
}

function Document({ title, locale, brand, langLinks, header, wide, children }: LayoutProps) {
  const t = textsOf(locale).pages.layout;
  const brandName = brand ? brand.name[locale] : undefined;
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{brandName ? `${title} | ${brandName}` : title}</title>
        <link rel="stylesheet" href="/assets/site.css" />
      </head>
      <body>
        {header ?? (
          <header class="site">
            <strong>{brandName ?? t.siteFallback}</strong>
          </header>
        )}
        <main class={wide ? 'wide' : undefined}>
          {langLinks?.length ? (
            <nav class="lang" aria-label={t.language}>
              {langLinks.map((l) => (
                <a href={l.href} lang={l.locale} hreflang={l.locale} aria-current={l.locale === locale ? 'true' : undefined}>
                  {l.label}
                </a>
              ))}
            </nav>
          ) : null}
          {children}
          {brand ? (
            <footer>
              <a href={brand.privacyPolicyUrl}>{t.privacyPolicy}</a>
              {' · '}
              <a href={`/contact?brand=${brand.id}&lang=${locale}`}>{t.contact}</a>
            </footer>
          ) : null}
        </main>
      </body>
    </html>
  );
}

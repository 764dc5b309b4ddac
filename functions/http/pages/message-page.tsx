import type { Brand, Locale } from '../../core/brands';
import { Layout } from './layout';

/** A link to where the person can go on from a page. */
export interface WayOn {
  href: string;
  label: string;
}

/**
 * The one page of a heading and a few sentences: one-click done, check your mail, an unusable
 * link, and every error page. An error names what happened and offers a way on (CONTRACT.md
 * "Errors"): the links, under `linksTitle` when there are several places to choose from.
 */
export function MessagePage(p: {
  brand?: Brand;
  locale: Locale;
  title: string;
  lines: string[];
  links?: WayOn[];
  linksTitle?: string;
  tone?: 'notice' | 'error';
}) {
  return (
    <Layout title={p.title} locale={p.locale} {...(p.brand ? { brand: p.brand } : {})}>
      <h1>{p.title}</h1>
      <div class={p.tone ?? 'notice'} role={p.tone === 'error' ? 'alert' : 'status'}>
        {p.lines.map((l) => (
          <p>{l}</p>
        ))}
      </div>
      {p.links?.length ? (
        <nav class="way-on" aria-label={p.linksTitle ?? p.title}>
          {p.linksTitle ? <h2>{p.linksTitle}</h2> : null}
          <ul>
            {p.links.map((l) => (
              <li>
                <a href={l.href}>{l.label}</a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
    </Layout>
  );
}

import type { Brand, Locale } from '../../core/brands';

/** `?lang=`, then `Accept-Language` (by q-value), then the brand's default (CONTRACT.md). */
export function pickLocale(brand: Pick<Brand, 'locales' | 'defaultLocale'> | undefined, query: string | undefined, acceptLanguage: string | undefined): Locale {
  const allowed = (brand?.locales ?? ['ja', 'en']) as readonly Locale[];
  const fallback = brand?.defaultLocale ?? 'ja';
  const q = query?.toLowerCase();
  if (q && (allowed as readonly string[]).includes(q)) return q as Locale;
  const ranked = (acceptLanguage ?? '')
    .slice(0, 512)
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const qv = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { lang: tag.toLowerCase().split('-')[0] ?? '', q: qv === undefined ? 1 : Number(qv), i };
    })
    .filter((x) => x.lang && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  const hit = ranked.find((x) => (allowed as readonly string[]).includes(x.lang));
  return (hit?.lang as Locale | undefined) ?? fallback;
}

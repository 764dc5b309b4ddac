import type { Locale } from '../brands';
import { textsOf } from './index';

/**
 * The one date formatter of every page: `2026年12月1日` in Japanese, `1 December 2026` in
 * English. The calendar date in UTC, as the due dates are computed (core/inquiry.ts).
 */
export function formatDate(iso: string | undefined, locale: Locale): string {
  if (!iso) return '-';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '-';
  return textsOf(locale).pages.date(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

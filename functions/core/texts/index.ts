import type { Locale } from '../brands';
import { en } from './en';
import { ja } from './ja';

/**
 * The catalogue of every sentence a person reads on a page or in a message, one tree per
 * language (`ja/`, `en/`, split by area), looked up by key: `textsOf(locale).pages.preferences.title`.
 * Pages and use cases name keys, never sentences. The English tree is typed by the Japanese one,
 * so a key missing or extra in either fails the type check. The console's areas are read through
 * `consoleTextsOf` (./console.ts), so that only the console's function carries them.
 *
 * It lives in core, and imports only core, so that every layer may read it: core itself (the
 * consent wording recorded in the ledger), use cases and mail (labels, notes), and the pages.
 * Mail templates stay files of their own (functions/mail/templates).
 */
export type Texts = typeof ja;

export const textsOf = (locale: Locale): Texts => (locale === 'en' ? en : ja);

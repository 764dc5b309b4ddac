import type { Locale } from './brands';
import { textsOf } from './texts';

/**
 * The sentences a person is shown where they give or change consent (texts/{ja,en}/consent.ts).
 * Pages render them and the ledger records the same text with the policy version, so the
 * evidence says exactly what was on the screen.
 */
export type WordingKind = keyof ReturnType<typeof textsOf>['consent'];

export function consentWording(kind: WordingKind, locale: Locale, brandName: string): string {
  return textsOf(locale).consent[kind].replaceAll('{brand}', brandName);
}

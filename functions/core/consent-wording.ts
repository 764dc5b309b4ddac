import type { Locale } from './brands';

/**
 * The sentences a person is shown where they give or change consent. Pages render them and the
 * ledger records the same text with the policy version, so the evidence says exactly what was
 * on the screen. Changing a sentence here is a change of wording: bump POLICY_VERSION with it.
 */
export type WordingKind = 'confirm' | 'preferences' | 'one-click' | 'subscription-request' | 'api';

const WORDING: Record<WordingKind, Record<Locale, string>> = {
  confirm: {
    ja: '{brand}から、選択したトピックのメールを受け取ることに同意します。すべてのメールの配信停止リンクから、いつでも停止できます。',
    en: 'I agree to receive emails about the selected topics from {brand}. I can unsubscribe at any time with the link in every email.',
  },
  preferences: {
    ja: '{brand}から受け取るメールを、ここで選んだとおりにします。',
    en: 'Send me only the emails from {brand} that I have chosen here.',
  },
  'one-click': {
    ja: 'List-Unsubscribe=One-Click（RFC 8058）による配信停止',
    en: 'List-Unsubscribe=One-Click (RFC 8058) unsubscribe',
  },
  'subscription-request': {
    ja: '{brand}のメール配信の申し込み（確認メールによる承認待ち）',
    en: 'Subscription request to {brand} (pending confirmation by email)',
  },
  api: {
    ja: 'API による設定変更（{brand}）',
    en: 'Preferences changed through the API ({brand})',
  },
};

export function consentWording(kind: WordingKind, locale: Locale, brandName: string): string {
  return WORDING[kind][locale].replaceAll('{brand}', brandName);
}

import type { LocalizedTemplate } from '../render';

/** To the privacy officer: inquiries due within 7 days. Values: count, lines (one per inquiry). */
export const inquiryDigest: LocalizedTemplate = {
  ja: {
    subject: '【{{brandName}}】期限が 7 日以内のお問い合わせ：{{count}} 件',
    text: '期限が 7 日以内のお問い合わせが {{count}} 件あります（期限の近い順）。\n\n{{lines}}\n',
    html: '<p>期限が 7 日以内のお問い合わせが {{count}} 件あります（期限の近い順）。</p><pre>{{lines}}</pre>',
  },
  en: {
    subject: '[{{brandName}}] {{count}} inquiries due within 7 days',
    text: '{{count}} inquiries are due within 7 days (soonest first).\n\n{{lines}}\n',
    html: '<p>{{count}} inquiries are due within 7 days (soonest first).</p><pre>{{lines}}</pre>',
  },
};

import type { LocalizedTemplate } from '../render';

/** GDPR Art. 12(4): the reason, and the right to complain to a supervisory authority. Values: name, reference, reason, authority, statusUrl. */
export const inquiryRejected: LocalizedTemplate = {
  ja: {
    subject: '【{{brandName}}】お問い合わせへの対応について（{{reference}}）',
    text: '{{name}} 様\n\n誠に恐れ入りますが、お問い合わせ（受付番号 {{reference}}）にはお応えできません。\n\n理由：\n{{reason}}\n\nこの判断にご不満がある場合は、監督機関に苦情を申し立てる権利があります（{{authority}}）。司法上の救済を求めることもできます。\n\n対応状況：{{statusUrl}}\n\n{{brandName}}',
    html: '<p>{{name}} 様</p><p>誠に恐れ入りますが、お問い合わせ（受付番号 {{reference}}）にはお応えできません。</p><p>理由：</p><blockquote>{{reason}}</blockquote><p>この判断にご不満がある場合は、監督機関に苦情を申し立てる権利があります（{{authority}}）。司法上の救済を求めることもできます。</p><p>対応状況：<a href="{{statusUrl}}">{{statusUrl}}</a></p><p>{{brandName}}</p>',
  },
  en: {
    subject: '[{{brandName}}] About your inquiry ({{reference}})',
    text: 'Dear {{name}},\n\nWe are sorry, but we cannot act on your inquiry ({{reference}}).\n\nThe reason:\n{{reason}}\n\nYou have the right to lodge a complaint with a supervisory authority ({{authority}}) and to seek a judicial remedy.\n\nStatus: {{statusUrl}}\n\n{{brandName}}',
    html: '<p>Dear {{name}},</p><p>We are sorry, but we cannot act on your inquiry ({{reference}}).</p><p>The reason:</p><blockquote>{{reason}}</blockquote><p>You have the right to lodge a complaint with a supervisory authority ({{authority}}) and to seek a judicial remedy.</p><p>Status: <a href="{{statusUrl}}">{{statusUrl}}</a></p><p>{{brandName}}</p>',
  },
};

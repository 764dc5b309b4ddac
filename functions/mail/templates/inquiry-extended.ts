import type { LocalizedTemplate } from '../render';

/** GDPR Art. 12(3): the period is extended once, with the reason. Values: name, reference, dueDate, reason, statusUrl. */
export const inquiryExtended: LocalizedTemplate = {
  ja: {
    subject: '【{{brandName}}】回答期限の延長のお知らせ（{{reference}}）',
    text: '{{name}} 様\n\nお問い合わせ（受付番号 {{reference}}）の回答期限を {{dueDate}} まで延長させていただきます。\n\n理由：\n{{reason}}\n\n対応状況：{{statusUrl}}\n\n{{brandName}}',
    html: '<p>{{name}} 様</p><p>お問い合わせ（受付番号 {{reference}}）の回答期限を <strong>{{dueDate}}</strong> まで延長させていただきます。</p><p>理由：</p><blockquote>{{reason}}</blockquote><p>対応状況：<a href="{{statusUrl}}">{{statusUrl}}</a></p><p>{{brandName}}</p>',
  },
  en: {
    subject: '[{{brandName}}] We need more time for your inquiry ({{reference}})',
    text: 'Dear {{name}},\n\nWe are extending the period for your inquiry ({{reference}}) to {{dueDate}}.\n\nThe reason:\n{{reason}}\n\nStatus: {{statusUrl}}\n\n{{brandName}}',
    html: '<p>Dear {{name}},</p><p>We are extending the period for your inquiry ({{reference}}) to <strong>{{dueDate}}</strong>.</p><p>The reason:</p><blockquote>{{reason}}</blockquote><p>Status: <a href="{{statusUrl}}">{{statusUrl}}</a></p><p>{{brandName}}</p>',
  },
};

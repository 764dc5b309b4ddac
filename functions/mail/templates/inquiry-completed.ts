import type { LocalizedTemplate } from '../render';

/** The inquiry is done; `note` is the officer's answer or a summary of what was done. Values: name, typeLabel, reference, note, statusUrl. */
export const inquiryCompleted: LocalizedTemplate = {
  ja: {
    subject: '【{{brandName}}】お問い合わせへの対応が完了しました（{{reference}}）',
    text: '{{name}} 様\n\nお問い合わせ（{{typeLabel}}、受付番号 {{reference}}）への対応が完了しました。\n\n{{note}}\n\n対応状況：{{statusUrl}}\n\n{{brandName}}',
    html: '<p>{{name}} 様</p><p>お問い合わせ（{{typeLabel}}、受付番号 {{reference}}）への対応が完了しました。</p><blockquote>{{note}}</blockquote><p>対応状況：<a href="{{statusUrl}}">{{statusUrl}}</a></p><p>{{brandName}}</p>',
  },
  en: {
    subject: '[{{brandName}}] Your inquiry is completed ({{reference}})',
    text: 'Dear {{name}},\n\nYour inquiry ({{typeLabel}}, {{reference}}) is completed.\n\n{{note}}\n\nStatus: {{statusUrl}}\n\n{{brandName}}',
    html: '<p>Dear {{name}},</p><p>Your inquiry ({{typeLabel}}, {{reference}}) is completed.</p><blockquote>{{note}}</blockquote><p>Status: <a href="{{statusUrl}}">{{statusUrl}}</a></p><p>{{brandName}}</p>',
  },
};

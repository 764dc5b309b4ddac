import type { LocalizedTemplate } from '../render';

/** Acknowledgement once verified. Values: name, typeLabel, reference, dueDate, statusUrl. */
export const inquiryReceived: LocalizedTemplate = {
  ja: {
    subject: '【{{brandName}}】お問い合わせを受け付けました（{{reference}}）',
    text: '{{name}} 様\n\nメールアドレスが確認され、お問い合わせ（{{typeLabel}}）を受け付けました。\n\n受付番号：{{reference}}\n回答期限：{{dueDate}}\n\n対応状況は次のページでご確認いただけます。\n{{statusUrl}}\n\n{{brandName}}',
    html: '<p>{{name}} 様</p><p>メールアドレスが確認され、お問い合わせ（{{typeLabel}}）を受け付けました。</p><p>受付番号：<strong>{{reference}}</strong><br>回答期限：{{dueDate}}</p><p>対応状況は次のページでご確認いただけます。<br><a href="{{statusUrl}}">{{statusUrl}}</a></p><p>{{brandName}}</p>',
  },
  en: {
    subject: '[{{brandName}}] We have received your inquiry ({{reference}})',
    text: 'Dear {{name}},\n\nYour address is confirmed and we have received your inquiry ({{typeLabel}}).\n\nReference: {{reference}}\nDue date: {{dueDate}}\n\nYou can follow it here:\n{{statusUrl}}\n\n{{brandName}}',
    html: '<p>Dear {{name}},</p><p>Your address is confirmed and we have received your inquiry ({{typeLabel}}).</p><p>Reference: <strong>{{reference}}</strong><br>Due date: {{dueDate}}</p><p>You can follow it here:<br><a href="{{statusUrl}}">{{statusUrl}}</a></p><p>{{brandName}}</p>',
  },
};

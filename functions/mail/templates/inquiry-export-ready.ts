import type { LocalizedTemplate } from '../render';

/** Access or portability fulfilled: the signed link to the JSON export. Values: name, reference, exportUrl, expiresDate, statusUrl. */
export const inquiryExportReady: LocalizedTemplate = {
  ja: {
    subject: '【{{brandName}}】ご請求のデータをご用意しました（{{reference}}）',
    text: '{{name}} 様\n\nご請求（受付番号 {{reference}}）のデータを JSON 形式でご用意しました。次のリンクからダウンロードできます（{{expiresDate}} まで有効）。\n\n{{exportUrl}}\n\n利用目的、提供先、保存期間、取得元、お客様の権利も含まれています。\n\n対応状況：{{statusUrl}}\n\n{{brandName}}',
    html: '<p>{{name}} 様</p><p>ご請求（受付番号 {{reference}}）のデータを JSON 形式でご用意しました。次のリンクからダウンロードできます（{{expiresDate}} まで有効）。</p><p><a href="{{exportUrl}}">{{exportUrl}}</a></p><p>利用目的、提供先、保存期間、取得元、お客様の権利も含まれています。</p><p>対応状況：<a href="{{statusUrl}}">{{statusUrl}}</a></p><p>{{brandName}}</p>',
  },
  en: {
    subject: '[{{brandName}}] Your data is ready ({{reference}})',
    text: 'Dear {{name}},\n\nThe data you asked for ({{reference}}) is ready as a JSON file. Download it here (the link works until {{expiresDate}}):\n\n{{exportUrl}}\n\nIt also states our purposes, recipients, retention, the source of the data and your rights.\n\nStatus: {{statusUrl}}\n\n{{brandName}}',
    html: '<p>Dear {{name}},</p><p>The data you asked for ({{reference}}) is ready as a JSON file. Download it here (the link works until {{expiresDate}}):</p><p><a href="{{exportUrl}}">{{exportUrl}}</a></p><p>It also states our purposes, recipients, retention, the source of the data and your rights.</p><p>Status: <a href="{{statusUrl}}">{{statusUrl}}</a></p><p>{{brandName}}</p>',
  },
};

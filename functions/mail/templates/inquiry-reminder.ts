import type { LocalizedTemplate } from '../render';

/**
 * The one reminder, 24 hours after an unverified inquiry. Values: typeLabel, verifyUrl. Like the
 * verification mail, it goes to an unverified address and so carries nothing the caller wrote.
 */
export const inquiryReminder: LocalizedTemplate = {
  ja: {
    subject: '【{{brandName}}】（再送）お問い合わせのメールアドレスをご確認ください',
    text: 'お客様\n\nお問い合わせ（{{typeLabel}}）のメールアドレスがまだ確認されていません。次のリンクを開き、ボタンを押してご確認ください。このアドレスからの未確認のお問い合わせは、すべてまとめて確認されます。\n\n{{verifyUrl}}\n\n確認されないお問い合わせは、受付から 7 日後に削除されます。\n\n{{brandName}}',
    html: '<p>お客様</p><p>お問い合わせ（{{typeLabel}}）のメールアドレスがまだ確認されていません。次のリンクを開き、ボタンを押してご確認ください。このアドレスからの未確認のお問い合わせは、すべてまとめて確認されます。</p><p><a href="{{verifyUrl}}">{{verifyUrl}}</a></p><p>確認されないお問い合わせは、受付から 7 日後に削除されます。</p><p>{{brandName}}</p>',
  },
  en: {
    subject: '[{{brandName}}] Reminder: please confirm the address of your inquiry',
    text: 'Hello,\n\nThe address of your inquiry ({{typeLabel}}) is not confirmed yet. Open this link and press the button to confirm it. Every unconfirmed inquiry from this address is confirmed with it.\n\n{{verifyUrl}}\n\nUnconfirmed inquiries are deleted 7 days after they were sent.\n\n{{brandName}}',
    html: '<p>Hello,</p><p>The address of your inquiry ({{typeLabel}}) is not confirmed yet. Open this link and press the button to confirm it. Every unconfirmed inquiry from this address is confirmed with it.</p><p><a href="{{verifyUrl}}">{{verifyUrl}}</a></p><p>Unconfirmed inquiries are deleted 7 days after they were sent.</p><p>{{brandName}}</p>',
  },
};

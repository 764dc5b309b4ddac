import type { LocalizedTemplate } from '../render';

/**
 * Sent on intake: the address must be verified before the legal clock starts. Values: typeLabel,
 * verifyUrl. It goes to an address nobody has verified yet, so it carries nothing the caller
 * wrote (no name, no message): otherwise anyone could have the brand's From mail their text to
 * anyone.
 */
export const inquiryVerify: LocalizedTemplate = {
  ja: {
    subject: '【{{brandName}}】お問い合わせのメールアドレスをご確認ください',
    text: 'お客様\n\n{{brandName}} へのお問い合わせ（{{typeLabel}}）を受け付けました。\n次のリンクを開き、ボタンを押してメールアドレスをご確認ください。確認後に正式に受付となります。このアドレスからの未確認のお問い合わせは、すべてまとめて確認されます。\n\n{{verifyUrl}}\n\nこのリンクの有効期限は 7 日間です。お心当たりのない場合は、このメールを破棄してください。\n\n{{brandName}}',
    html: '<p>お客様</p><p>{{brandName}} へのお問い合わせ（{{typeLabel}}）を受け付けました。次のリンクを開き、ボタンを押してメールアドレスをご確認ください。確認後に正式に受付となります。このアドレスからの未確認のお問い合わせは、すべてまとめて確認されます。</p><p><a href="{{verifyUrl}}">{{verifyUrl}}</a></p><p>このリンクの有効期限は 7 日間です。お心当たりのない場合は、このメールを破棄してください。</p><p>{{brandName}}</p>',
  },
  en: {
    subject: '[{{brandName}}] Please confirm the address of your inquiry',
    text: 'Hello,\n\nWe have your inquiry ({{typeLabel}}) to {{brandName}}.\nOpen this link and press the button to confirm your address; we start on your inquiry once it is confirmed. Every unconfirmed inquiry from this address is confirmed with it.\n\n{{verifyUrl}}\n\nThe link works for 7 days. If you did not send this inquiry, ignore this mail.\n\n{{brandName}}',
    html: '<p>Hello,</p><p>We have your inquiry ({{typeLabel}}) to {{brandName}}. Open this link and press the button to confirm your address; we start on your inquiry once it is confirmed. Every unconfirmed inquiry from this address is confirmed with it.</p><p><a href="{{verifyUrl}}">{{verifyUrl}}</a></p><p>The link works for 7 days. If you did not send this inquiry, ignore this mail.</p><p>{{brandName}}</p>',
  },
};

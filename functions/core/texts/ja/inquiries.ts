import type { InquiryStatus, InquiryType } from '../../inquiry';

/**
 * 日本語: privacy inquiries. The labels of types and statuses (pages and mails), the pages of the
 * contact form and of the requester, and what the completion mail says when the officer adds no
 * note.
 */
export const inquiries = {
  /** The name a mail greets a requester by who gave none (`{{name}} 様`). */
  unnamed: 'お客',
  types: {
    question: 'ご質問',
    access: '開示請求（アクセス）',
    rectification: '訂正',
    erasure: '削除',
    restriction: '利用停止（制限）',
    objection: '異議申し立て',
    portability: 'データポータビリティ',
    'withdraw-consent': '同意の撤回',
    'opt-out': 'オプトアウト',
    complaint: '苦情',
  } satisfies Record<InquiryType, string>,
  statuses: {
    unverified: 'メールアドレス確認待ち',
    received: '受付済み',
    'in-progress': '対応中',
    completed: '完了',
    rejected: 'お断り',
  } satisfies Record<InquiryStatus, string>,
  done: {
    restriction: 'お客様の情報の利用を停止しました。停止を解除するまでメールはお送りしません。',
    unsubscribedEverywhere: 'すべてのサイトのすべての配信を停止しました。',
    rectification: 'お客様の情報を訂正しました。',
    erasure: 'お客様の情報を削除しました。今後メールをお送りすることはありません。',
    other: 'ご依頼の対応を行いました。',
  },
  contact: {
    title: 'お問い合わせ',
    heading: 'お問い合わせ・個人情報に関するご請求',
    intro: '送信後、確認メールをお送りします。メール内のリンクからアドレスを確認していただいた時点で受付となります。',
    typeLabel: 'ご用件',
    emailLabel: 'メールアドレス（必須）',
    nameLabel: 'お名前（任意）',
    messageLabel: 'お問い合わせ内容（必須、5,000 文字まで）',
    honeypot: 'このフィールドは空のままにしてください',
    send: '送信する',
  },
  thanks: {
    title: '送信しました',
    heading: 'お問い合わせを送信しました',
    body: '確認メールをお送りしました。メール内のリンクを開き、ボタンを押してアドレスを確認してください（7 日間有効）。',
  },
  verify: {
    title: 'メールアドレスの確認',
    already: 'このお問い合わせは確認済みです。受付番号：',
    intro: 'ボタンを押すと、このアドレスからの次のお問い合わせを正式に受け付けます。',
    button: 'アドレスを確認して送信',
  },
  verified: {
    title: '受け付けました',
    heading: 'お問い合わせを受け付けました',
    also: '同時に受け付けたお問い合わせ：',
    seeStatus: '対応状況を見る',
  },
  status: {
    title: 'お問い合わせの状況',
    reference: '受付番号',
    type: 'ご用件',
    received: '受付日',
    due: '回答期限',
    extended: '（延長済み）',
    status: '状況',
    reason: '理由',
    download: 'データをダウンロード（JSON）',
  },
};

import type { Locale } from './brands';

/**
 * The GDPR Art. 15(1) facts (and their APPI counterparts) as the shared privacy policy states them.
 * They go into every access and portability export. When the policy changes, change this file
 * with it (and POLICY_VERSION).
 */
export interface PrivacyFacts {
  controller: string;
  contact: string;
  purposes: string[];
  recipients: string[];
  retention: string[];
  source: string;
  rights: string[];
  supervisoryAuthority: string;
}

export const PRIVACY_FACTS: Record<Locale, PrivacyFacts> = {
  ja: {
    controller: 'livlog.jp、livlog.xyz、cotogoto.ai、chroco.ooo の運営者（共通のプライバシーポリシー）',
    contact: '各サイトのお問い合わせフォーム（/contact）またはプライバシー担当窓口',
    purposes: [
      'お申し込みいただいたニュースレター・お知らせメールの配信（同意に基づく）',
      '配信停止・配信設定の記録と尊重（法的義務）',
      'お問い合わせ・権利行使のご請求への対応（法的義務）',
      '不達・迷惑メール報告による配信停止の管理（正当な利益）',
    ],
    recipients: ['メール配信事業者（Amazon Web Services, Inc. の Amazon SES）', 'クラウド基盤事業者（Amazon Web Services, Inc.、東京リージョン）'],
    retention: [
      '購読情報と同意の記録：購読中および配信停止後も、配信しないことを守るために必要な間',
      'お問い合わせ：完了後 3 年',
      '未確認のお問い合わせ：7 日',
      'データのエクスポート：作成から 7 日',
      '削除のご請求後：再送しないためのハッシュ化された識別子のみ',
    ],
    source: 'ご本人がサイトのフォーム、確認メール、配信設定ページで入力・操作された情報、およびメール配信事業者からの不達・苦情の通知',
    rights: [
      '開示（アクセス）',
      '訂正',
      '削除',
      '利用停止（処理の制限）',
      '異議申し立て',
      'データポータビリティ',
      '同意の撤回（いつでも、それまでの処理の適法性に影響しません）',
      '監督機関への苦情申し立て',
    ],
    supervisoryAuthority: '個人情報保護委員会（日本）、または居住する EU 加盟国のデータ保護監督機関',
  },
  en: {
    controller: 'The operator of livlog.jp, livlog.xyz, cotogoto.ai and chroco.ooo (one shared privacy policy)',
    contact: 'The contact form of each site (/contact) or the privacy officer',
    purposes: [
      'Sending the newsletters and announcements you asked for (consent)',
      'Recording and honouring unsubscribes and preferences (legal obligation)',
      'Answering inquiries and requests to exercise your rights (legal obligation)',
      'Stopping mail to addresses that bounce or complain (legitimate interest)',
    ],
    recipients: ['Our email delivery provider (Amazon SES, Amazon Web Services, Inc.)', 'Our cloud provider (Amazon Web Services, Inc., Tokyo region)'],
    retention: [
      'Subscriptions and consent records: while subscribed, and after an unsubscribe for as long as needed to keep not mailing you',
      'Inquiries: 3 years after they are closed',
      'Unverified inquiries: 7 days',
      'Data exports: 7 days after they are made',
      'After an erasure: only a keyed hash of the address, so that you are never mailed again',
    ],
    source:
      'What you entered or chose in our forms, confirmation mails and preference pages, and bounce and complaint notices from our email delivery provider',
    rights: [
      'Access',
      'Rectification',
      'Erasure',
      'Restriction of processing',
      'Objection',
      'Data portability',
      'Withdrawal of consent at any time (without affecting the lawfulness of processing before it)',
      'Lodging a complaint with a supervisory authority',
    ],
    supervisoryAuthority: 'The Personal Information Protection Commission (Japan), or the data protection authority of the EU member state where you live',
  },
};

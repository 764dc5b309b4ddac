import type { SubscriptionState } from '../../subscriber';

/**
 * 日本語: the frame of every page and the pages of the subscription flows (preference center,
 * confirmation, one-click, check your mail, the subscription form shown again).
 */
export const pages = {
  layout: {
    siteFallback: 'Privacy',
    language: '言語',
    /** Each language named in itself, the same in every catalogue. */
    languageNames: { ja: '日本語', en: 'English' },
    privacyPolicy: 'プライバシーポリシー',
    contact: 'お問い合わせ',
  },
  /** `2026年12月1日`: the Gregorian year, no leading zeros. */
  date: (year: number, month: number, day: number) => `${year}年${month}月${day}日`,
  listSeparator: '、',
  preferences: {
    title: 'メール配信の設定',
    address: '宛先',
    topicLegend: (topic: string) => `「${topic}」の配信`,
    unsubscribeTopic: (topic: string) => `「${topic}」の配信を停止する`,
    topicStopped: (topic: string) => `「${topic}」の配信は停止しています。`,
    saved: '設定を保存しました。',
    allStopped: (brand: string) => `${brand}からの配信メールは、すべて停止しました。`,
    legend: (brand: string) => `${brand}から受け取るメール`,
    states: {
      subscribed: '配信中',
      pending: '確認待ち（確認メールのリンクを開いてください）',
      unsubscribed: '停止中',
    } satisfies Record<SubscriptionState, string>,
    optInNote: 'まだ確認していないトピックにチェックを入れて保存すると、確認メールをお送りします。',
    save: '選択を保存する',
    allLegend: 'すべて停止',
    unsubscribeAll: (brand: string) => `${brand}のメールをすべて停止する`,
    resubLegend: '配信の再開',
    resubscribe: (list: string) => `配信を再開する（${list}）`,
    resubNone: '以前に確認済みで、いま停止中のトピックはありません。新しく登録するトピックは、上でチェックを入れて保存してください。',
  },
  confirm: {
    title: 'メール配信の登録確認',
    intro: (brand: string) => `${brand}から次のメールを受け取るための確認です。`,
    button: '登録を確定する',
    policyVersion: 'プライバシーポリシーの版',
  },
  confirmed: {
    title: '登録が完了しました',
    body: (brand: string) => `${brand}から次のメールをお送りします。`,
    manage: '配信設定を変更する',
  },
  confirmExpired: {
    body: '確認リンクの有効期限（7日間）が過ぎました。メールアドレスを入力すると、新しい確認メールをお送りします。',
    resend: '確認メールを再送する',
  },
  unusable: {
    title: 'このリンクは使用できません',
    body: 'このリンクでは登録できません。ご不明な点はお問い合わせください。',
  },
  oneClick: {
    title: '配信を停止しました',
    body: (brand: string, topic: string) => `${brand}の「${topic}」のメールは今後お送りしません。`,
  },
  checkMail: {
    title: 'メールをご確認ください',
    body: 'お申し込みを受け付けました。確認メールのリンクを開くと登録が完了します。数分たっても届かない場合は、迷惑メールフォルダもご確認ください。',
  },
  subscribe: {
    title: 'メール配信のお申し込み',
    brandLabel: 'サイト',
    chooseBrand: '選んでください',
    emailLabel: 'メールアドレス',
    topicsLegend: '受け取るメール',
    submit: '申し込む',
  },
};

import { grouped } from '../numbers';

/**
 * 日本語: pages people reach by mistake. `byCode` is the one table of HTML error messages, keyed
 * by the contract's error code (CONTRACT.md "Errors"); `fields` are the messages shown beside a
 * form's bad field, one per field and problem.
 */
export const errors = {
  byCode: {
    'invalid-token': { title: 'リンクが無効です', text: 'このリンクは無効です。メールのリンクをそのまま開いてください。' },
    'invalid-request': { title: '入力内容をご確認ください', text: '入力内容に誤りがあります。' },
    'not-found': {
      title: 'ページが見つかりません',
      text: 'このアドレスにはページがありません。リンクをお確かめいただくか、下のリンクからお進みください。',
    },
    'payload-too-large': { title: '送信内容が大きすぎます', text: '送信された内容が大きすぎます。' },
    'unsupported-media-type': { title: '送信できませんでした', text: 'この形式の送信は受け付けていません。' },
    'rate-limited': {
      title: 'しばらくお待ちください',
      text: '短い間に多くの送信がありました。しばらくしてからもう一度お試しください。',
    },
    unavailable: {
      title: '一時的にご利用いただけません',
      text: '一時的に処理できません。何も変更していません。しばらくしてからもう一度お試しください。',
    },
    unauthorized: { title: 'このページは開けません', text: 'このページを開く権限がありません。' },
    internal: { title: 'エラー', text: '問題が発生しました。' },
  },
  requestId: (id: string) => `お問い合わせの際は、この番号をお知らせください：${id}`,
  expired: {
    title: 'リンクの有効期限が切れています',
    inquiry: 'このリンクの有効期限が切れています。お手数ですが、もう一度お問い合わせください。',
  },
  inquiryGone: {
    title: 'お問い合わせが見つかりません',
    text: 'このお問い合わせは見つかりません（確認されないまま 7 日が過ぎた可能性があります）。もう一度お問い合わせください。',
  },
  unknownSite: { title: 'サイトが見つかりません', text: 'このサイトは存在しません。' },
  wayOn: {
    site: (brand: string) => `${brand}のサイトへ`,
    contact: 'お問い合わせフォーム',
    sites: 'サイトへ戻る',
    preferences: '配信設定のページに戻る',
  },
  form: {
    /** Before the page title and, for screen readers, before each field's message. */
    prefix: 'エラー：',
    summaryTitle: '入力内容に問題があります',
    unreadable: 'フォームの一部を読み取れませんでした。内容をお確かめのうえ、もう一度送信してください。',
  },
  fields: {
    brand: { invalid: 'サイトを選んでください。' },
    type: { invalid: 'ご用件を選んでください。' },
    email: {
      missing: 'メールアドレスを入力してください。',
      invalid: 'メールアドレスを name@example.com のような形で入力してください。',
    },
    name: { tooLong: (max: number) => `お名前は ${grouped(max)} 文字以内で入力してください。` },
    message: {
      missing: 'お問い合わせ内容を入力してください。',
      tooLong: (max: number) => `お問い合わせ内容は ${grouped(max)} 文字以内で入力してください。`,
    },
    topics: {
      missing: '受け取るメールを 1 つ以上選んでください。',
      invalid: '一覧にあるメールから選んでください。',
    },
  },
};

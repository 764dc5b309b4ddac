/**
 * 日本語: the sentences a person is shown where they give or change consent. The ledger records
 * the same text with the policy version, so the evidence says exactly what was on the screen:
 * changing a sentence here is a change of wording, so bump POLICY_VERSION with it. `{brand}` is
 * the brand's name.
 */
export const consent = {
  confirm: '{brand}から、選択したトピックのメールを受け取ることに同意します。すべてのメールの配信停止リンクから、いつでも停止できます。',
  preferences: '{brand}から受け取るメールを、ここで選んだとおりにします。',
  'one-click': 'List-Unsubscribe=One-Click（RFC 8058）による配信停止',
  'subscription-request': '{brand}のメール配信の申し込み（確認メールによる承認待ち）',
  api: 'API による設定変更（{brand}）',
};

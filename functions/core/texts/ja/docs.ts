/** 日本語: the prose of the API reference page (`GET /docs?lang=ja`); the routes' own texts come from the OpenAPI document. */
export const docs = {
  title: 'API リファレンス',
  machine: '同じ内容の機械可読版（OpenAPI 3.1）：',
  privileged: '🔒 の付いたルートは特権ルートです。ローカルでは次のヘッダーが、AWS では SigV4（IAM）の署名が必要です：',
  body: '本文',
  answers: '応答',
  required: '必須',
  optional: '任意',
  oneOf: '値',
  arrayOf: (type: string) => `${type} の配列`,
  mapOf: (type: string) => `キーごとに ${type}`,
  any: '任意の値',
};

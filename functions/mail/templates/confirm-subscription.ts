import type { LocalizedTemplate } from '../render';

/**
 * The double opt-in mail. Values: `brandName` (given by sendOwnMail), `email` (the address
 * the request named), `topicList`, `confirmUrl`, `validDays`.
 */
export const confirmSubscriptionTemplate: LocalizedTemplate = {
  ja: {
    subject: '【{{brandName}}】メール配信の確認をお願いします',
    text: `{{email}} 宛てに、{{brandName}} からのメール配信（{{topicList}}）のお申し込みを受け付けました。

次のリンクを開き、「登録を確定する」を押すと配信が始まります（{{validDays}}日間有効）。
{{confirmUrl}}

お心当たりがない場合は、このメールを破棄してください。確認されない限り、配信は行いません。
`,
    html: `<p>{{email}} 宛てに、{{brandName}} からのメール配信（{{topicList}}）のお申し込みを受け付けました。</p>
<p>次のリンクを開き、「登録を確定する」を押すと配信が始まります（{{validDays}}日間有効）。</p>
<p><a href="{{confirmUrl}}">{{confirmUrl}}</a></p>
<p>お心当たりがない場合は、このメールを破棄してください。確認されない限り、配信は行いません。</p>`,
  },
  en: {
    subject: 'Please confirm your subscription to {{brandName}}',
    text: `We received a request to send {{email}} emails from {{brandName}} ({{topicList}}).

Open this link and press "Confirm subscription" to start receiving them (valid for {{validDays}} days):
{{confirmUrl}}

If you did not ask for this, ignore this email. Nothing is sent unless you confirm.
`,
    html: `<p>We received a request to send {{email}} emails from {{brandName}} ({{topicList}}).</p>
<p>Open this link and press "Confirm subscription" to start receiving them (valid for {{validDays}} days):</p>
<p><a href="{{confirmUrl}}">{{confirmUrl}}</a></p>
<p>If you did not ask for this, ignore this email. Nothing is sent unless you confirm.</p>`,
  },
};

import type { MailFragment } from '../render';

/**
 * The footer of every marketing mail: who legally sends it, where, whom to ask or complain to,
 * that the recipient may stop these mails, and where (CAN-SPAM 15 U.S.C. 7704(a)(5); the Act on
 * Specified Electronic Mail, Art. 4, ordinance Art. 9). Values: `legalName`, `postalAddress`,
 * `contact` (the brand's `sender`, in the recipient's language), `brandName`, `preferencesUrl`
 * (this mail's `/u/{token}`, the page that offers this topic's unsubscribe first).
 */
export const marketingFooterTemplate: Record<'ja' | 'en', MailFragment> = {
  ja: {
    text: `――
このメールは {{legalName}} が {{brandName}} のお知らせとしてお送りしています。
住所: {{postalAddress}}
お問い合わせ・苦情の窓口: {{contact}}
このメールの受信は、いつでも次のページから停止できます。
{{preferencesUrl}}
`,
    html: `<hr style="border:none;border-top:1px solid #ccc;margin:2rem 0 1rem">
<div style="font-size:0.85em;color:#555">
<p>このメールは {{legalName}} が {{brandName}} のお知らせとしてお送りしています。<br>住所: {{postalAddress}}</p>
<p>お問い合わせ・苦情の窓口: <a href="{{contact}}">{{contact}}</a></p>
<p>このメールの受信は、いつでも次のページから停止できます: <a href="{{preferencesUrl}}">配信の停止・設定</a></p>
</div>`,
  },
  en: {
    text: `--
This email is sent by {{legalName}} as news from {{brandName}}.
Address: {{postalAddress}}
Questions and complaints: {{contact}}
You may stop these emails at any time on this page:
{{preferencesUrl}}
`,
    html: `<hr style="border:none;border-top:1px solid #ccc;margin:2rem 0 1rem">
<div style="font-size:0.85em;color:#555">
<p>This email is sent by {{legalName}} as news from {{brandName}}.<br>Address: {{postalAddress}}</p>
<p>Questions and complaints: <a href="{{contact}}">{{contact}}</a></p>
<p>You may stop these emails at any time on this page: <a href="{{preferencesUrl}}">unsubscribe or change your preferences</a></p>
</div>`,
  },
};

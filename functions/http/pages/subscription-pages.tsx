import type { Brand, Locale } from '../../core/brands';
import type { SubscriptionState } from '../../core/subscriber';
import { Layout } from './layout';

/**
 * Pages of the subscription flows: the preference center, the confirmation pages, the answer to a
 * one-click unsubscribe, "check your mail", and the error page of these routes. No script; every
 * value interpolated by hono/jsx is escaped.
 */
const T = {
  ja: {
    prefsTitle: 'メール配信の設定',
    address: '宛先',
    saved: '設定を保存しました。',
    legend: (b: string) => `${b}から受け取るメール`,
    states: { subscribed: '配信中', pending: '確認待ち（確認メールのリンクを開いてください）', unsubscribed: '停止中' } as Record<SubscriptionState, string>,
    optInNote: 'まだ確認していないトピックにチェックを入れて保存すると、確認メールをお送りします。',
    save: '選択を保存する',
    allLegend: 'すべて停止',
    unsubscribeAll: (b: string) => `${b}のメールをすべて停止する`,
    resubLegend: '配信の再開',
    resubscribe: (list: string) => `配信を再開する（${list}）`,
    resubNone: '以前に確認済みで、いま停止中のトピックはありません。新しく登録するトピックは、上でチェックを入れて保存してください。',
    confirmTitle: 'メール配信の登録確認',
    confirmIntro: (b: string) => `${b}から次のメールを受け取るための確認です。`,
    confirmButton: '登録を確定する',
    policyVersion: 'プライバシーポリシーの版',
    confirmedTitle: '登録が完了しました',
    confirmedBody: (b: string) => `${b}から次のメールをお送りします。`,
    manage: '配信設定を変更する',
    expiredTitle: 'リンクの有効期限が切れています',
    expiredBody: '確認リンクの有効期限（7日間）が過ぎました。メールアドレスを入力すると、新しい確認メールをお送りします。',
    emailLabel: 'メールアドレス',
    resend: '確認メールを再送する',
    unusableTitle: 'このリンクは使用できません',
    unusableBody: 'このリンクでは登録できません。ご不明な点はお問い合わせください。',
    oneClickTitle: '配信を停止しました',
    oneClickBody: (b: string, topic: string) => `${b}の「${topic}」のメールは今後お送りしません。`,
    checkTitle: 'メールをご確認ください',
    checkBody: 'お申し込みを受け付けました。確認メールのリンクを開くと登録が完了します。数分たっても届かない場合は、迷惑メールフォルダもご確認ください。',
    errorTitle: 'エラー',
  },
  en: {
    prefsTitle: 'Email preferences',
    address: 'Address',
    saved: 'Your choices have been saved.',
    legend: (b: string) => `Emails you want from ${b}`,
    states: { subscribed: 'Subscribed', pending: 'Awaiting confirmation (open the link in the confirmation email)', unsubscribed: 'Not subscribed' } as Record<
      SubscriptionState,
      string
    >,
    optInNote: 'Ticking a topic you have not confirmed yet and saving sends you a confirmation email.',
    save: 'Save choices',
    allLegend: 'Unsubscribe from everything',
    unsubscribeAll: (b: string) => `Unsubscribe from all ${b} emails`,
    resubLegend: 'Resubscribe',
    resubscribe: (list: string) => `Resubscribe (${list})`,
    resubNone: 'There is no topic you confirmed before and left. To subscribe to a new topic, tick it above and save.',
    confirmTitle: 'Confirm your subscription',
    confirmIntro: (b: string) => `Please confirm that you want these emails from ${b}:`,
    confirmButton: 'Confirm subscription',
    policyVersion: 'Privacy policy version',
    confirmedTitle: 'You are subscribed',
    confirmedBody: (b: string) => `${b} will send you these emails:`,
    manage: 'Change your email preferences',
    expiredTitle: 'This link has expired',
    expiredBody: 'Confirmation links are valid for 7 days. Enter your email address and we will send you a new one.',
    emailLabel: 'Email address',
    resend: 'Send a new confirmation email',
    unusableTitle: 'This link cannot be used',
    unusableBody: 'This link can no longer be used to subscribe. Please contact us if you have questions.',
    oneClickTitle: 'You have been unsubscribed',
    oneClickBody: (b: string, topic: string) => `You will no longer receive "${topic}" emails from ${b}.`,
    checkTitle: 'Check your mail',
    checkBody:
      'We received your request. Open the link in the confirmation email to complete it. If nothing arrives within a few minutes, look in your spam folder too.',
    errorTitle: 'Error',
  },
} as const;

/** The texts of these pages in one locale. */
export const pageTexts = (locale: Locale) => T[locale];

const langLinks = (path: string, extra: Record<string, string> = {}) =>
  (['ja', 'en'] as const).map((l) => ({
    locale: l,
    href: `${path}?${new URLSearchParams({ ...extra, lang: l }).toString()}`,
    label: l === 'ja' ? '日本語' : 'English',
  }));

export interface PreferencePageProps {
  brand: Brand;
  locale: Locale;
  token: string;
  email?: string;
  topics: { id: string; label: string; state: SubscriptionState }[];
  resubscribable: { id: string; label: string }[];
  wording: string;
  saved: boolean;
}

/** GET /u/{token}: each topic's state, save choices, unsubscribe from all, resubscribe. */
export function PreferencePage(p: PreferencePageProps) {
  const t = T[p.locale];
  const brandName = p.brand.name[p.locale];
  const action = `/u/${p.token}/preferences?lang=${p.locale}`;
  return (
    <Layout title={t.prefsTitle} locale={p.locale} brand={p.brand} langLinks={langLinks(`/u/${p.token}`)}>
      <h1>{t.prefsTitle}</h1>
      {p.saved ? (
        <p class="notice" role="status">
          {t.saved}
        </p>
      ) : null}
      {p.email ? (
        <p>
          {t.address}: <strong>{p.email}</strong>
        </p>
      ) : null}
      <form method="post" action={action} class="card">
        <fieldset>
          <legend>{t.legend(brandName)}</legend>
          {p.topics.map((topic) => (
            <div class="check">
              <input
                type="checkbox"
                id={`topic-${topic.id}`}
                name="topics"
                value={topic.id}
                checked={topic.state !== 'unsubscribed'}
                aria-describedby={`state-${topic.id}`}
              />
              {/* The state is the checkbox's description, not part of its name. */}
              <div>
                <label for={`topic-${topic.id}`}>{topic.label}</label>
                <span class="state" id={`state-${topic.id}`} data-state={topic.state}>
                  {t.states[topic.state]}
                </span>
              </div>
            </div>
          ))}
        </fieldset>
        <p class="state">{p.wording}</p>
        <p class="state">{t.optInNote}</p>
        <div class="actions">
          <button type="submit" name="action" value="save">
            {t.save}
          </button>
        </div>
      </form>
      <form method="post" action={action} class="card">
        <h2>{t.allLegend}</h2>
        <div class="actions">
          <button type="submit" name="action" value="unsubscribe-all" class="danger">
            {t.unsubscribeAll(brandName)}
          </button>
        </div>
      </form>
      <form method="post" action={action} class="card">
        <h2>{t.resubLegend}</h2>
        {p.resubscribable.length ? (
          <div class="actions">
            <button type="submit" name="action" value="resubscribe" class="secondary">
              {t.resubscribe(p.resubscribable.map((r) => r.label).join(p.locale === 'ja' ? '、' : ', '))}
            </button>
          </div>
        ) : (
          <p>{t.resubNone}</p>
        )}
      </form>
    </Layout>
  );
}

export interface ConfirmPageProps {
  brand: Brand;
  locale: Locale;
  token: string;
  topicLabels: string[];
  wording: string;
  policyVersion: string;
}

/** GET /confirm/{token}: what is being confirmed, the consent sentence and policy version, the button. */
export function ConfirmPage(p: ConfirmPageProps) {
  const t = T[p.locale];
  return (
    <Layout title={t.confirmTitle} locale={p.locale} brand={p.brand} langLinks={langLinks(`/confirm/${p.token}`)}>
      <h1>{t.confirmTitle}</h1>
      <p>{t.confirmIntro(p.brand.name[p.locale])}</p>
      <ul>
        {p.topicLabels.map((l) => (
          <li>{l}</li>
        ))}
      </ul>
      <form method="post" action={`/confirm/${p.token}?lang=${p.locale}`} class="card">
        <input type="hidden" name="locale" value={p.locale} />
        <p id="consent-wording">{p.wording}</p>
        <p class="state">
          {t.policyVersion}: {p.policyVersion}
        </p>
        <div class="actions">
          <button type="submit" aria-describedby="consent-wording">
            {t.confirmButton}
          </button>
        </div>
      </form>
    </Layout>
  );
}

/** After POST /confirm/{token}, with a link to the preference center. */
export function ConfirmedPage(p: { brand: Brand; locale: Locale; topicLabels: string[]; manageUrl: string }) {
  const t = T[p.locale];
  return (
    <Layout title={t.confirmedTitle} locale={p.locale} brand={p.brand}>
      <h1>{t.confirmedTitle}</h1>
      <p class="notice" role="status">
        {t.confirmedBody(p.brand.name[p.locale])}
      </p>
      <ul>
        {p.topicLabels.map((l) => (
          <li>{l}</li>
        ))}
      </ul>
      <p>
        <a href={p.manageUrl}>{t.manage}</a>
      </p>
    </Layout>
  );
}

/** An expired confirmation link: asks for the address (the token never holds it) to send a new mail. */
export function ConfirmExpiredPage(p: { brand: Brand; locale: Locale; topics: string[] }) {
  const t = T[p.locale];
  return (
    <Layout title={t.expiredTitle} locale={p.locale} brand={p.brand}>
      <h1>{t.expiredTitle}</h1>
      <p>{t.expiredBody}</p>
      <form method="post" action="/v1/subscriptions" class="card">
        <input type="hidden" name="brand" value={p.brand.id} />
        <input type="hidden" name="locale" value={p.locale} />
        {p.topics.map((topic) => (
          <input type="hidden" name="topics" value={topic} />
        ))}
        <div class="field">
          <label for="email">{t.emailLabel}</label>
          <input type="email" id="email" name="email" required autocomplete="email" />
        </div>
        <div class="actions">
          <button type="submit">{t.resend}</button>
        </div>
      </form>
    </Layout>
  );
}

/** A page with a heading and a few sentences: one-click done, check your mail, unusable link. */
export function MessagePage(p: {
  brand?: Brand;
  locale: Locale;
  title: string;
  lines: string[];
  link?: { href: string; label: string };
  tone?: 'notice' | 'error';
}) {
  return (
    <Layout title={p.title} locale={p.locale} {...(p.brand ? { brand: p.brand } : {})}>
      <h1>{p.title}</h1>
      <div class={p.tone ?? 'notice'} role={p.tone === 'error' ? 'alert' : 'status'}>
        {p.lines.map((l) => (
          <p>{l}</p>
        ))}
      </div>
      {p.link ? (
        <p>
          <a href={p.link.href}>{p.link.label}</a>
        </p>
      ) : null}
    </Layout>
  );
}

import type { Brand, Locale } from '../../core/brands';
import { dateOf, INQUIRY_TYPES, type Inquiry, STATUS_LABELS, TYPE_LABELS } from '../../core/inquiry';
import { Layout } from './layout';

/**
 * Pages of the privacy inquiry flow: the demo contact form, its thank-you page, the verification
 * page (a button: a GET never verifies), and the requester's status page. No script; every value
 * is escaped by hono/jsx.
 */
const t = (locale: Locale, ja: string, en: string) => (locale === 'ja' ? ja : en);

const langLinks = (base: string) =>
  (['ja', 'en'] as const).map((l) => ({ locale: l, href: `${base}${base.includes('?') ? '&' : '?'}lang=${l}`, label: l === 'ja' ? '日本語' : 'English' }));

export function ContactPage({ brand, locale }: { brand: Brand; locale: Locale }) {
  return (
    <Layout title={t(locale, 'お問い合わせ', 'Contact us')} locale={locale} brand={brand} langLinks={langLinks(`/contact?brand=${brand.id}`)}>
      <h1>{t(locale, 'お問い合わせ・個人情報に関するご請求', 'Contact us, or ask about your personal data')}</h1>
      <p>
        {t(
          locale,
          '送信後、確認メールをお送りします。メール内のリンクからアドレスを確認していただいた時点で受付となります。',
          'After you send this, we mail you a link: your inquiry starts once you confirm your address with it.',
        )}
      </p>
      <form method="post" action="/v1/inquiries" class="card">
        <input type="hidden" name="brand" value={brand.id} />
        <input type="hidden" name="locale" value={locale} />
        <div class="field">
          <label for="type">{t(locale, 'ご用件', 'What is it about?')}</label>
          <select id="type" name="type" required>
            {INQUIRY_TYPES.map((type) => (
              <option value={type}>{TYPE_LABELS[type][locale]}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="email">{t(locale, 'メールアドレス（必須）', 'Email address (required)')}</label>
          <input type="email" id="email" name="email" required maxlength={254} autocomplete="email" />
        </div>
        <div class="field">
          <label for="name">{t(locale, 'お名前（任意）', 'Name (optional)')}</label>
          <input type="text" id="name" name="name" maxlength={200} autocomplete="name" />
        </div>
        <div class="field">
          <label for="message">{t(locale, 'お問い合わせ内容（必須、5,000 文字まで）', 'Message (required, up to 5,000 characters)')}</label>
          <textarea id="message" name="message" required maxlength={5000} />
        </div>
        <div class="hp" aria-hidden="true">
          <label for="website">{t(locale, 'このフィールドは空のままにしてください', 'Leave this field empty')}</label>
          <input type="text" id="website" name="website" tabindex={-1} autocomplete="off" />
        </div>
        <div class="actions">
          <button type="submit">{t(locale, '送信する', 'Send')}</button>
        </div>
      </form>
    </Layout>
  );
}

export function ThanksPage({ brand, locale }: { brand: Brand; locale: Locale }) {
  return (
    <Layout title={t(locale, '送信しました', 'Sent')} locale={locale} brand={brand} langLinks={langLinks(`/contact/thanks?brand=${brand.id}`)}>
      <h1>{t(locale, 'お問い合わせを送信しました', 'Thank you, your inquiry is on its way')}</h1>
      <p class="notice">
        {t(
          locale,
          '確認メールをお送りしました。メール内のリンクを開き、ボタンを押してアドレスを確認してください（7 日間有効）。',
          'We have mailed you a link. Open it and press the button to confirm your address (it works for 7 days).',
        )}
      </p>
    </Layout>
  );
}

/**
 * The verification page. It is reached through a link mailed to an address nobody has verified
 * yet, so it shows nothing the sender wrote (name, message): only what the button will verify.
 */
export function VerifyPage({
  brand,
  locale,
  inquiry,
  pending,
  action,
}: {
  brand: Brand;
  locale: Locale;
  inquiry: Inquiry;
  pending: Inquiry[];
  action: string;
}) {
  return (
    <Layout title={t(locale, 'メールアドレスの確認', 'Confirm your address')} locale={locale} brand={brand} langLinks={langLinks(action)}>
      <h1>{t(locale, 'メールアドレスの確認', 'Confirm your address')}</h1>
      {pending.length === 0 ? (
        <p class="notice">
          {t(locale, 'このお問い合わせは確認済みです。受付番号：', 'This inquiry is already confirmed. Reference: ')}
          {inquiry.reference}
        </p>
      ) : (
        <form method="post" action={action}>
          <p>
            {t(
              locale,
              'ボタンを押すと、このアドレスからの次のお問い合わせを正式に受け付けます。',
              'Press the button to confirm your address; these inquiries from it are then sent on:',
            )}
          </p>
          <ul class="card">
            {pending.map((p) => (
              <li>{`${TYPE_LABELS[p.type][locale]} · ${dateOf(p.createdAt)} · ${p.reference}`}</li>
            ))}
          </ul>
          <div class="actions">
            <button type="submit">{t(locale, 'アドレスを確認して送信', 'Confirm my address')}</button>
          </div>
        </form>
      )}
    </Layout>
  );
}

export function VerifiedPage({
  brand,
  locale,
  inquiry,
  also,
  statusUrl,
}: {
  brand: Brand;
  locale: Locale;
  inquiry: Inquiry;
  /** The other inquiries of the address that the same press verified; each gets its own mail. */
  also: Inquiry[];
  statusUrl: string;
}) {
  return (
    <Layout title={t(locale, '受け付けました', 'Received')} locale={locale} brand={brand}>
      <h1>{t(locale, 'お問い合わせを受け付けました', 'We have received your inquiry')}</h1>
      <dl class="card">
        <dt>{t(locale, '受付番号', 'Reference')}</dt>
        <dd>{inquiry.reference}</dd>
        <dt>{t(locale, '回答期限', 'Due date')}</dt>
        <dd>{dateOf(inquiry.dueAt)}</dd>
      </dl>
      {also.length ? (
        <p>
          {t(locale, '同時に受け付けたお問い合わせ：', 'Also received: ')}
          {also.map((a) => a.reference).join(', ')}
        </p>
      ) : null}
      <p>
        <a href={statusUrl}>{t(locale, '対応状況を見る', 'See where it stands')}</a>
      </p>
    </Layout>
  );
}

export function StatusPage({ brand, locale, inquiry, exportUrl, self }: { brand: Brand; locale: Locale; inquiry: Inquiry; exportUrl?: string; self: string }) {
  return (
    <Layout title={t(locale, 'お問い合わせの状況', 'Your inquiry')} locale={locale} brand={brand} langLinks={langLinks(self)}>
      <h1>{t(locale, 'お問い合わせの状況', 'Your inquiry')}</h1>
      <dl class="card">
        <dt>{t(locale, '受付番号', 'Reference')}</dt>
        <dd>{inquiry.reference}</dd>
        <dt>{t(locale, 'ご用件', 'Type')}</dt>
        <dd>{TYPE_LABELS[inquiry.type][locale]}</dd>
        <dt>{t(locale, '受付日', 'Received')}</dt>
        <dd>{dateOf(inquiry.receivedAt)}</dd>
        <dt>{t(locale, '回答期限', 'Due date')}</dt>
        <dd>
          {dateOf(inquiry.dueAt)}
          {inquiry.extended ? t(locale, '（延長済み）', ' (extended)') : ''}
        </dd>
        <dt>{t(locale, '状況', 'Status')}</dt>
        <dd class="status">{STATUS_LABELS[inquiry.status][locale]}</dd>
        {inquiry.rejectionReason ? (
          <>
            <dt>{t(locale, '理由', 'Reason')}</dt>
            <dd>{inquiry.rejectionReason}</dd>
          </>
        ) : null}
      </dl>
      {exportUrl ? (
        <p class="notice">
          <a href={exportUrl}>{t(locale, 'データをダウンロード（JSON）', 'Download your data (JSON)')}</a>
        </p>
      ) : null}
    </Layout>
  );
}

export function MessagePage({ locale, brand, status, title, text }: { locale: Locale; brand?: Brand; status: number; title: string; text: string }) {
  return (
    <Layout title={title} locale={locale} {...(brand ? { brand } : {})}>
      <h1>{title}</h1>
      <p class="error" data-status={status}>
        {text}
      </p>
    </Layout>
  );
}

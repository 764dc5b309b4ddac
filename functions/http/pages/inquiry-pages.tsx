import type { Brand, Brands, Locale } from '../../core/brands';
import { INQUIRY_TYPES, type Inquiry, MESSAGE_MAX, NAME_MAX } from '../../core/inquiry';
import { textsOf } from '../../core/texts';
import { formatDate } from '../../core/texts/dates';
import { BrandField, ErrorSummary, FieldMessage, type FormProblems, fieldClass, invalid, problemsOf, type Typed, titleOf } from './form-fields';
import type { FormAgain } from './html-errors';
import { Layout, langLinks } from './layout';

/**
 * Pages of the privacy inquiry flow: the demo contact form (and the same form shown again after
 * bad fields), its thank-you page, the verification page (a button: a GET never verifies), and
 * the requester's status page. No script; texts come from the catalogue (core/texts); every value
 * is escaped by hono/jsx.
 */
const CONTACT_FIELDS: [string, string][] = [
  ['brand', 'brand'],
  ['type', 'type'],
  ['email', 'email'],
  ['name', 'name'],
  ['message', 'message'],
];

/** Nothing typed yet: the form as first shown. */
const EMPTY: Typed = { one: () => '', all: () => [] };

export interface ContactPageProps {
  brands: Brands;
  /** Undefined only when the form came back naming an unknown brand. */
  brand: Brand | undefined;
  locale: Locale;
  typed?: Typed;
  problems?: FormProblems;
}

export function ContactPage({ brands, brand, locale, typed = EMPTY, problems }: ContactPageProps) {
  const texts = textsOf(locale);
  const t = texts.inquiries.contact;
  const chosen = typed.one('type');
  return (
    <Layout
      title={titleOf(t.title, locale, problems)}
      locale={locale}
      {...(brand ? { brand, langLinks: problems ? [] : langLinks(`/contact?brand=${brand.id}`) } : {})}
    >
      <h1>{t.heading}</h1>
      <ErrorSummary locale={locale} problems={problems} />
      <p>{t.intro}</p>
      <form method="post" action="/v1/inquiries" class="card">
        <BrandField brands={brands} brandId={brand?.id ?? typed.one('brand')} locale={locale} problems={problems} />
        <input type="hidden" name="locale" value={locale} />
        <div class={fieldClass(problems, 'type')}>
          <label for="type">{t.typeLabel}</label>
          <FieldMessage id="type" name="type" locale={locale} problems={problems} />
          <select id="type" name="type" required {...invalid(problems, 'type', 'type')}>
            {INQUIRY_TYPES.map((type) => (
              <option value={type} selected={type === chosen}>
                {texts.inquiries.types[type]}
              </option>
            ))}
          </select>
        </div>
        <div class={fieldClass(problems, 'email')}>
          <label for="email">{t.emailLabel}</label>
          <FieldMessage id="email" name="email" locale={locale} problems={problems} />
          <input
            type="email"
            id="email"
            name="email"
            value={typed.one('email')}
            required
            maxlength={254}
            autocomplete="email"
            {...invalid(problems, 'email', 'email')}
          />
        </div>
        <div class={fieldClass(problems, 'name')}>
          <label for="name">{t.nameLabel}</label>
          <FieldMessage id="name" name="name" locale={locale} problems={problems} />
          <input type="text" id="name" name="name" value={typed.one('name')} maxlength={NAME_MAX} autocomplete="name" {...invalid(problems, 'name', 'name')} />
        </div>
        <div class={fieldClass(problems, 'message')}>
          <label for="message">{t.messageLabel}</label>
          <FieldMessage id="message" name="message" locale={locale} problems={problems} />
          <textarea id="message" name="message" required maxlength={MESSAGE_MAX} {...invalid(problems, 'message', 'message')}>
            {typed.one('message')}
          </textarea>
        </div>
        <div class="hp" aria-hidden="true">
          <label for="website">{t.honeypot}</label>
          <input type="text" id="website" name="website" tabindex={-1} autocomplete="off" />
        </div>
        <div class="actions">
          <button type="submit">{t.send}</button>
        </div>
      </form>
    </Layout>
  );
}

/** A browser's POST /v1/inquiries with bad fields: the contact form again, as typed. */
export const contactFormAgain =
  (brands: Brands) =>
  (_c: unknown, { typed, issues, brand, locale }: FormAgain) => (
    <ContactPage brands={brands} brand={brand} locale={locale} typed={typed} problems={problemsOf(issues, typed, CONTACT_FIELDS, locale)} />
  );

export function ThanksPage({ brand, locale }: { brand: Brand; locale: Locale }) {
  const t = textsOf(locale).inquiries.thanks;
  return (
    <Layout title={t.title} locale={locale} brand={brand} langLinks={langLinks(`/contact/thanks?brand=${brand.id}`)}>
      <h1>{t.heading}</h1>
      <p class="notice">{t.body}</p>
    </Layout>
  );
}

/**
 * The verification page. It is reached through a link mailed to an address nobody has verified
 * yet, so it shows nothing the sender wrote (name, message): only what the button will verify.
 */
export function VerifyPage(p: { brand: Brand; locale: Locale; inquiry: Inquiry; pending: Inquiry[]; action: string }) {
  const texts = textsOf(p.locale);
  const t = texts.inquiries.verify;
  return (
    <Layout title={t.title} locale={p.locale} brand={p.brand} langLinks={langLinks(p.action)}>
      <h1>{t.title}</h1>
      {p.pending.length === 0 ? (
        <p class="notice">
          {t.already}
          {p.inquiry.reference}
        </p>
      ) : (
        <form method="post" action={p.action}>
          <p>{t.intro}</p>
          <ul class="card">
            {p.pending.map((x) => (
              <li>{`${texts.inquiries.types[x.type]} · ${formatDate(x.createdAt, p.locale)} · ${x.reference}`}</li>
            ))}
          </ul>
          <div class="actions">
            <button type="submit">{t.button}</button>
          </div>
        </form>
      )}
    </Layout>
  );
}

export function VerifiedPage(p: {
  brand: Brand;
  locale: Locale;
  inquiry: Inquiry;
  /** The other inquiries of the address that the same press verified; each gets its own mail. */
  also: Inquiry[];
  statusUrl: string;
}) {
  const texts = textsOf(p.locale).inquiries;
  const t = texts.verified;
  return (
    <Layout title={t.title} locale={p.locale} brand={p.brand}>
      <h1>{t.heading}</h1>
      <dl class="card">
        <dt>{texts.status.reference}</dt>
        <dd>{p.inquiry.reference}</dd>
        <dt>{texts.status.due}</dt>
        <dd>{formatDate(p.inquiry.dueAt, p.locale)}</dd>
      </dl>
      {p.also.length ? (
        <p>
          {t.also}
          {p.also.map((a) => a.reference).join(', ')}
        </p>
      ) : null}
      <p>
        <a href={p.statusUrl}>{t.seeStatus}</a>
      </p>
    </Layout>
  );
}

export function StatusPage({ brand, locale, inquiry, exportUrl, self }: { brand: Brand; locale: Locale; inquiry: Inquiry; exportUrl?: string; self: string }) {
  const texts = textsOf(locale).inquiries;
  const t = texts.status;
  return (
    <Layout title={t.title} locale={locale} brand={brand} langLinks={langLinks(self)}>
      <h1>{t.title}</h1>
      <dl class="card">
        <dt>{t.reference}</dt>
        <dd>{inquiry.reference}</dd>
        <dt>{t.type}</dt>
        <dd>{texts.types[inquiry.type]}</dd>
        <dt>{t.received}</dt>
        <dd>{formatDate(inquiry.receivedAt, locale)}</dd>
        <dt>{t.due}</dt>
        <dd>
          {formatDate(inquiry.dueAt, locale)}
          {inquiry.extended ? t.extended : ''}
        </dd>
        <dt>{t.status}</dt>
        <dd class="status">{texts.statuses[inquiry.status]}</dd>
        {inquiry.rejectionReason ? (
          <>
            <dt>{t.reason}</dt>
            {/* Typed by the officer: its line breaks are part of what it says. */}
            <dd class="typed">{inquiry.rejectionReason}</dd>
          </>
        ) : null}
      </dl>
      {exportUrl ? (
        <p class="notice">
          <a href={exportUrl}>{t.download}</a>
        </p>
      ) : null}
    </Layout>
  );
}

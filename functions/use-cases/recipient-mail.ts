import { type Brand, LOCALES, type Locale } from '../core/brands';
import type { EmailId } from '../core/email-id';
import type { SendScope } from '../core/recipient-filter';
import type { Deps } from '../deps';
import { readTemplate } from '../mail/bulk';
import { BACKEND_VALUES, marketingFooter, placeFooter, templateFooterProblems } from '../mail/footer';
import { listUnsubscribeHeaders, unsubscribeUrl } from '../mail/list-unsubscribe';
import { type MailFragment, type RenderedMail, renderMail } from '../mail/render';
import type { MailContent } from '../store/campaigns';

/** What the backend adds to one recipient's mail of the send pipeline. */
export interface RecipientMail {
  /** The caller's data, then the backend's values over it (`brandName`; marketing: `unsubscribeUrl`, `footer`, `footerHtml`). */
  values: Record<string, string>;
  headers: { name: string; value: string }[];
  /** Marketing only: the footer, for content to place. */
  footer?: MailFragment;
}

/** The profile's language for the brand when the brand has it, else the brand's default. */
export function recipientLocale(brand: Brand, stored: string | undefined): Locale {
  const wanted = LOCALES.find((l) => l === stored);
  return wanted && brand.locales.includes(wanted) ? wanted : brand.defaultLocale;
}

/**
 * Values, headers and footer of one recipient: the brand's name in the recipient's language, and
 * for marketing the `/u/{token}` link (List-Unsubscribe and the footer's preference link alike)
 * and the footer. A caller's data never overrides what the backend puts in.
 */
export function recipientMail(
  deps: Pick<Deps, 'config' | 'tokens'>,
  ctx: { brand: Brand; scope: SendScope },
  r: { emailId: EmailId; data: Record<string, string> },
  storedLocale: string | undefined,
): RecipientMail {
  const locale = recipientLocale(ctx.brand, storedLocale);
  const data = Object.fromEntries(Object.entries(r.data).filter(([k]) => !(BACKEND_VALUES as readonly string[]).includes(k)));
  const values = { ...data, brandName: ctx.brand.name[locale] };
  if (ctx.scope.category !== 'marketing') return { values, headers: [] };
  const url = unsubscribeUrl(deps.config.publicBaseUrl, deps.tokens, { brand: ctx.brand.id, emailId: r.emailId, topic: ctx.scope.topic });
  const footer = marketingFooter(ctx.brand, locale, url);
  return {
    values: { ...values, unsubscribeUrl: url, footer: footer.text, footerHtml: footer.html },
    headers: listUnsubscribeHeaders(url, deps.config.mailtoUnsubscribe),
    footer,
  };
}

/** Content rendered for one recipient; marketing content gets the footer where it says `{{footer}}`, else appended. */
export function renderContent(content: { subject: string; text: string; html?: string | undefined }, m: RecipientMail): RenderedMail {
  const body = { text: content.text, html: content.html ?? '' };
  const placed = m.footer ? placeFooter(body) : body;
  return renderMail({ subject: content.subject, ...placed }, m.values, m.footer ? { footer: m.footer } : {});
}

/**
 * Why a batch of marketing mail by SES template must not go out (the template may have changed
 * since the campaign took it): gone, or no longer placing the footer. Undefined when it may.
 */
export async function templateRefusal(deps: Pick<Deps, 'ses'>, scope: SendScope, mail: MailContent): Promise<string | undefined> {
  if (!('template' in mail) || scope.category !== 'marketing') return undefined;
  const template = await readTemplate(deps.ses, mail.template.name);
  if (!template) return 'template-not-found';
  return templateFooterProblems(template).length ? 'template-missing-footer' : undefined;
}

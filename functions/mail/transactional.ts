import type { Brand, Locale } from '../core/brands';
import type { EmailId } from '../core/email-id';
import type { Subscriber } from '../core/subscriber';
import type { Deps } from '../deps';
import { getSubscriber } from '../store/subscribers';
import { type LocalizedTemplate, renderMail } from './render';

/**
 * Transactional mail (confirmation, verification, acknowledgement, export ready): not a topic,
 * never unsubscribable, so only a bounce or complaint suppression stops it (a mailbox that
 * bounces or complains must not be mailed at all, or SES pauses the account).
 */
export interface TransactionalMail {
  brand: Brand;
  locale: Locale;
  to: string;
  emailId: EmailId;
  template: LocalizedTemplate;
  values: Record<string, string>;
  /** What kind of message, for the SES tags that map feedback back. */
  kind: string;
}

export type TransactionalResult = { sent: true; messageId: string } | { sent: false; reason: 'suppressed-bounce' | 'suppressed-complaint' };

export function transactionalBlock(s: Subscriber | undefined): 'suppressed-bounce' | 'suppressed-complaint' | undefined {
  const reasons = Object.values(s?.suppressions ?? {}).map((x) => x.reason);
  if (reasons.includes('complaint')) return 'suppressed-complaint';
  if (reasons.includes('bounce')) return 'suppressed-bounce';
  return undefined;
}

export async function sendTransactional(deps: Pick<Deps, 'db' | 'mailer'>, mail: TransactionalMail): Promise<TransactionalResult> {
  const blocked = transactionalBlock(await getSubscriber(deps.db, mail.emailId));
  if (blocked) return { sent: false, reason: blocked };
  const rendered = renderMail(mail.template[mail.locale], { brandName: mail.brand.name[mail.locale], ...mail.values });
  const { messageId } = await deps.mailer.send({
    from: mail.brand.from,
    to: mail.to,
    ...(mail.brand.replyTo ? { replyTo: mail.brand.replyTo } : {}),
    ...rendered,
    tags: { brand: mail.brand.id, category: 'transactional', kind: mail.kind },
  });
  return { sent: true, messageId };
}

/**
 * The backend's own mail to a person (confirmation, verification, acknowledgement, export ready,
 * an inquiry's answer): not a topic, never unsubscribable.
 * 1. read the person's record and let the filter decide by the `own` rule (only a bounce or
 *    complaint stops it);
 * 2. render the template in the brand's name and the person's language;
 * 3. send it from the brand, tagged so that feedback maps back.
 */
import type { Brand, Locale } from '../core/brands';
import type { EmailId } from '../core/email-id';
import { decideRecipient, ownMailScope } from '../core/recipient-filter';
import type { Deps } from '../deps';
import { type LocalizedTemplate, renderMail } from '../mail/render';
import { getSubscriber } from '../store/subscribers';

export interface OwnMail {
  brand: Brand;
  locale: Locale;
  to: string;
  emailId: EmailId;
  template: LocalizedTemplate;
  values: Record<string, string>;
  /** What kind of message, for the SES tags that map feedback back. */
  kind: string;
}

export type OwnMailResult = { sent: true; messageId: string } | { sent: false; reason: 'suppressed-bounce' | 'suppressed-complaint' };

export async function sendOwnMail(deps: Pick<Deps, 'db' | 'mailer'>, mail: OwnMail): Promise<OwnMailResult> {
  const decision = decideRecipient(await getSubscriber(deps.db, mail.emailId), ownMailScope(mail.brand.id));
  if (!decision.eligible) return { sent: false, reason: decision.reason as 'suppressed-bounce' | 'suppressed-complaint' };
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

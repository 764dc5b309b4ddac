import type { Brand, Locale } from '../core/brands';
import type { NormalizedEmail } from '../core/email';
import type { EmailId } from '../core/email-id';
import type { Deps } from '../deps';
import { confirmSubscriptionTemplate } from '../mail/templates/confirm-subscription';
import { claimSubscribeWindow, releaseSubscribeWindow } from '../store/subscribe-window';
import { mailboxMayBeMailed } from './intake-limits';
import { sendOwnMail } from './send-own-mail';

/** A repeated subscribe within this many seconds sends no second mail (docs/data-model.md). */
export const SUBSCRIBE_WINDOW_SECONDS = 10 * 60;

export interface ConfirmationMail {
  brand: Brand;
  emailId: EmailId;
  email: string;
  topics: string[];
  locale: Locale;
}

/**
 * The double opt-in mail.
 * 1. Claim the subscribe window of this address and brand; if it is taken, send nothing. Public
 *    intake (`limitMailboxOf`) then counts the mail against its mailbox and sends nothing past the
 *    hour's share; a preference-page request comes from a link of the owner's own mail.
 * 2. Sign a confirm token naming brand, emailId, topics and locale (never the address).
 * 3. Send the mail through the transactional sender (which skips bounced and complained addresses).
 * 4. If sending failed, give the window back so that a retry can send.
 */
export async function sendConfirmationMail(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emailIdOf' | 'mailer' | 'tokens'>,
  m: ConfirmationMail,
  opts: { limitMailboxOf?: NormalizedEmail } = {},
): Promise<'sent' | 'window' | 'mailbox-limit' | 'suppressed'> {
  if (!(await claimSubscribeWindow(deps.db, m.emailId, m.brand.id, deps.clock.now(), SUBSCRIBE_WINDOW_SECONDS))) return 'window';
  // Counted after the window, so repeats that would send nothing anyway do not use up the share.
  if (opts.limitMailboxOf && !(await mailboxMayBeMailed(deps, 'sub', opts.limitMailboxOf))) return 'mailbox-limit';
  const token = deps.tokens.sign('confirm', { b: m.brand.id, e: m.emailId, t: m.topics, l: m.locale });
  try {
    const result = await sendOwnMail(deps, {
      brand: m.brand,
      locale: m.locale,
      to: m.email,
      emailId: m.emailId,
      template: confirmSubscriptionTemplate,
      kind: 'confirm-subscription',
      values: {
        email: m.email,
        topicList: m.topics.map((t) => deps.config.brands.topicLabel(t, m.locale)).join(m.locale === 'ja' ? '、' : ', '),
        confirmUrl: `${deps.config.publicBaseUrl}/confirm/${token}`,
        validDays: '7',
      },
    });
    return result.sent ? 'sent' : 'suppressed';
  } catch (err) {
    await releaseSubscribeWindow(deps.db, m.emailId, m.brand.id).catch(() => {});
    throw err;
  }
}

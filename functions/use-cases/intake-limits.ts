import { createHmac } from 'node:crypto';
import { clientKeyOf } from '../core/client-ip';
import { mailboxOf, type NormalizedEmail } from '../core/email';
import type { Deps } from '../deps';
import { countHit, hitRateLimits } from '../store/rate-limits';

/**
 * The limits of public intake (CONTRACT.md "Errors"), shared by subscriptions and inquiries.
 * - Per client IP and route: `config.intakeLimitPerIp` an hour (20), then `429` with Retry-After.
 *   It says nothing about any address, so it may change the answer.
 * - Per mailbox (plus-tags folded): at most MAILBOX_MAILS_PER_HOUR mails of each kind an hour,
 *   and one more to the plain address. Past that the request is still stored and answered as
 *   always; only the mail is withheld, so the answer never tells whether an address is known,
 *   and a stranger cannot refuse the owner's own request.
 */
export const INTAKE_WINDOW_SECONDS = 3600;
export const MAILBOX_MAILS_PER_HOUR = 5;

export type IntakeRoute = 'sub' | 'inq';

/** Counts one request of this client on this route; throws RateLimitedError past the limit. */
export async function limitIntakeClient(deps: Pick<Deps, 'db' | 'clock' | 'config'>, route: IntakeRoute, ip: string | undefined): Promise<void> {
  // Keyed, because an unkeyed hash of an IPv4 address is undone by trying all 2^32.
  const key = createHmac('sha256', deps.config.emailPepper)
    .update(`ip:${clientKeyOf(ip)}`)
    .digest('base64url')
    .slice(0, 22);
  await hitRateLimits(deps.db, deps.clock.now(), [{ scope: `${route}-ip`, key, limit: deps.config.intakeLimitPerIp, windowSeconds: INTAKE_WINDOW_SECONDS }]);
}

/** Counts one mail about to go to the mailbox of `email`; false once this hour's share is used. */
export async function mailboxMayBeMailed(deps: Pick<Deps, 'db' | 'clock' | 'emailIdOf'>, route: IntakeRoute, email: NormalizedEmail): Promise<boolean> {
  const now = deps.clock.now();
  const mailbox = mailboxOf(email);
  const count = (scope: string, of: NormalizedEmail, limit: number) =>
    countHit(deps.db, now, { scope: `${route}-${scope}`, key: deps.emailIdOf(of), limit, windowSeconds: INTAKE_WINDOW_SECONDS });
  if ((await count('mbox', mailbox, MAILBOX_MAILS_PER_HOUR)).within) return true;
  // Past the share, the plain address still gets one mail of its own an hour. A verification link
  // verifies only its exact address, so a stranger spending the share on plus-tag variants would
  // otherwise shut the owner's own address out; a tagged address gets no such extra, or every new
  // tag would be one more mail.
  return mailbox === email && (await count('addr', email, 1)).within;
}

import type { Locale } from '../core/brands';
import { requestTopics } from '../core/consent';
import { consentWording } from '../core/consent-wording';
import { normalizeEmail } from '../core/email';
import { ValidationError } from '../core/errors';
import type { Deps } from '../deps';
import { claimSubscribeWindow } from '../store/subscribe-window';
import { updateSubscriber } from '../store/subscribers';
import { limitIntakeClient } from './intake-limits';
import { SUBSCRIBE_WINDOW_SECONDS, sendConfirmationMail } from './send-confirmation';
import { requireTopics } from './subscription-claims';

export interface SubscriptionRequest {
  brand: string;
  email: string;
  topics: string[];
  locale?: Locale;
  /** Where the sign-up came from (a form's name); recorded as the ledger event's `ref`. */
  source?: string;
  /** The peer address the platform saw (never X-Forwarded-For). */
  ip?: string;
  userAgent?: string;
}

/**
 * POST /v1/subscriptions. The caller answers the same 202 whatever happens here, and every path
 * does the same store work, so neither answer nor timing tells whether the address is known.
 * 1. Check brand, topics and address; normalize the address and derive its emailId. Count the
 *    request against the client's limit (429 past it, before anything is written).
 * 2. In one transaction: requested topics that are not confirmed become `pending` (ledger event
 *    `subscription-requested`), the profile keeps the address in clear and the brand's locale.
 *    An erased tombstone is left as it is: erasure is final for this route.
 * 3. Claim the subscribe window and, unless erased, inside the window or past the mailbox's share
 *    of mail this hour, send the confirmation mail.
 */
export async function requestSubscription(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emailIdOf' | 'mailer' | 'tokens'>,
  req: SubscriptionRequest,
): Promise<void> {
  const brand = deps.config.brands.require(req.brand);
  requireTopics(brand, req.topics, (_, i) => `topics[${i}]`);
  const normalized = normalizeEmail(req.email);
  if (!normalized.ok) throw new ValidationError('The email address is not valid.', [{ path: 'email', message: normalized.problem }]);
  const email = normalized.email;
  const emailId = deps.emailIdOf(email);
  const topics = [...new Set(req.topics)];
  const locale = req.locale ?? brand.defaultLocale;
  await limitIntakeClient(deps, 'sub', req.ip);
  const ctx = {
    at: deps.clock.now(),
    source: 'subscription-request' as const,
    wording: consentWording('subscription-request', locale, brand.name[locale]),
    policyVersion: deps.config.policyVersion,
    ...(req.ip ? { ip: req.ip } : {}),
    ...(req.userAgent ? { userAgent: req.userAgent } : {}),
    ...(req.source ? { ref: req.source } : {}),
  };
  const { subscriber } = await updateSubscriber(deps.db, deps.clock, emailId, (s) => {
    if (s.status === 'erased') return undefined;
    const d = requestTopics(s, brand.id, topics, ctx);
    const base = d?.next ?? s;
    const brandSubs = base.brands[brand.id];
    if (!d && s.email === email && brandSubs?.locale === locale) return undefined;
    return {
      next: { ...base, email, brands: { ...base.brands, [brand.id]: { topics: brandSubs?.topics ?? {}, locale } } },
      events: d?.events ?? [],
    };
  });
  if (subscriber.status === 'erased') {
    // The same store work as any other address, so the answer's timing says nothing of erasure.
    await claimSubscribeWindow(deps.db, emailId, brand.id, deps.clock.now(), SUBSCRIBE_WINDOW_SECONDS);
    return;
  }
  await sendConfirmationMail(deps, { brand, emailId, email, topics, locale }, { limitMailboxOf: email });
}

import type { Brand, Locale } from '../core/brands';
import { confirmTopics } from '../core/consent';
import { consentWording } from '../core/consent-wording';
import type { Deps } from '../deps';
import { updateSubscriber } from '../store/subscribers';
import { readConfirmToken } from './subscription-claims';

export type ConfirmOutcome =
  | { kind: 'confirmed'; brand: Brand; topics: string[]; changed: boolean; manageToken: string }
  | { kind: 'expired'; brand: Brand; topics: string[]; locale?: Locale }
  /** The address was erased after the mail went out; erasure is final. */
  | { kind: 'unusable'; brand: Brand };

export interface ConfirmInput {
  token: string;
  /** The locale of the page the person confirmed on: the wording recorded is the one they read. */
  locale: Locale;
  ip?: string;
  userAgent?: string;
}

/**
 * POST /confirm/{token}: the double opt-in.
 * 1. Verify the confirm token (a bad one throws; an expired one is answered with `expired`).
 * 2. In one transaction, the token's topics become `subscribed` with a `consent-given` event
 *    recording time, source `confirmation`, the wording shown, policy version, IP and user agent.
 *    Confirming again changes nothing.
 * 3. Hand back an unsubscribe token so the page can link to the preference center.
 */
export async function confirmSubscription(deps: Pick<Deps, 'clock' | 'config' | 'db' | 'tokens'>, input: ConfirmInput): Promise<ConfirmOutcome> {
  const claims = readConfirmToken(deps, input.token);
  const { brand, topics } = claims;
  if (claims.expired) return { kind: 'expired', brand, topics, ...(claims.locale ? { locale: claims.locale } : {}) };
  const ctx = {
    at: deps.clock.now(),
    source: 'confirmation' as const,
    wording: consentWording('confirm', input.locale, brand.name[input.locale]),
    policyVersion: deps.config.policyVersion,
    ...(input.ip ? { ip: input.ip } : {}),
    ...(input.userAgent ? { userAgent: input.userAgent } : {}),
  };
  const { subscriber, changed } = await updateSubscriber(deps.db, deps.clock, claims.emailId, (s) =>
    s.status === 'erased' ? undefined : confirmTopics(s, brand.id, topics, ctx),
  );
  if (subscriber.status === 'erased') return { kind: 'unusable', brand };
  const manageToken = deps.tokens.sign('unsubscribe', { b: brand.id, e: claims.emailId, t: topics[0] as string });
  return { kind: 'confirmed', brand, topics, changed, manageToken };
}

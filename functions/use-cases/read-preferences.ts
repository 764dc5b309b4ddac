import type { Brand } from '../core/brands';
import { everConfirmedTopics } from '../core/consent-history';
import { maskEmail } from '../core/email';
import type { EmailId } from '../core/email-id';
import type { SubscriptionState } from '../core/subscriber';
import type { Deps } from '../deps';
import { readSubscriberRecords } from '../store/subscriber-records';
import { readUnsubscribeToken } from './subscription-claims';

export interface PreferencesView {
  brand: Brand;
  /** `t***@example.com`, or undefined when the store holds no address (never stored, or erased). */
  email?: string;
  /** Every topic of the brand, in the brand's order; never-subscribed topics read `unsubscribed`. */
  topics: { id: string; state: SubscriptionState }[];
  /** Topics once confirmed and not subscribed now: what "resubscribe" would restore. */
  resubscribable: string[];
  updatedAt?: string;
}

/**
 * GET /u/{token} and GET /v1/preferences/{token}. Reads only (link scanners prefetch these).
 * 1. Verify the unsubscribe token.
 * 2. One query of the address's partition: profile and ledger.
 * 3. The brand's topics with their states, the masked address, what a resubscribe would restore.
 */
export async function readPreferences(deps: Pick<Deps, 'config' | 'db' | 'tokens'>, token: string): Promise<PreferencesView> {
  const { brand, emailId } = readUnsubscribeToken(deps, token);
  return preferencesOf(deps, brand, emailId);
}

/** The view of one address and brand (also the answer after a save). */
export async function preferencesOf(deps: Pick<Deps, 'db'>, brand: Brand, emailId: EmailId): Promise<PreferencesView> {
  const { profile, ledger } = await readSubscriberRecords(deps.db, emailId);
  const states = profile?.brands?.[brand.id]?.topics ?? {};
  const confirmed = profile?.status === 'erased' ? new Set<string>() : everConfirmedTopics(ledger, brand.id);
  const topics = brand.topics.map((id) => ({ id, state: states[id]?.state ?? ('unsubscribed' as const) }));
  return {
    brand,
    ...(profile?.email ? { email: maskEmail(profile.email) } : {}),
    topics,
    resubscribable: topics.filter((t) => t.state !== 'subscribed' && confirmed.has(t.id)).map((t) => t.id),
    ...(profile?.updatedAt ? { updatedAt: profile.updatedAt } : {}),
  };
}

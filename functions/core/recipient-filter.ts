import type { NormalizedEmail } from './email';
import { normalizeEmail } from './email';
import type { EmailId } from './email-id';
import { own as ownValue } from './own';
import type { Subscriber } from './subscriber';

/**
 * The send filter's rule: may this recipient get this mail? One pure decision per recipient from
 * the one record the filter reads, so that what the route answers and what a campaign sends can
 * never disagree.
 */
export type SendCategory = 'marketing' | 'transactional';

/** In the order CONTRACT.md gives them when several apply. */
export const SKIP_REASONS = [
  'invalid-address',
  'duplicate',
  'erased',
  'suppressed-complaint',
  'suppressed-bounce',
  'suppressed-manual',
  'restricted',
  'unsubscribed-all',
  'unsubscribed-topic',
  'no-consent',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export type RecipientDecision = { eligible: true } | { eligible: false; reason: SkipReason };

/**
 * What a mail of the send pipeline is: its brand and category, and for marketing its topic (the
 * consent it needs); for transactional its purpose (one of the brand's `transactionalPurposes`,
 * which the send paths require and the read-only filter checks when given), its topic only a label.
 */
export type SendScope =
  | { brand: string; category: 'marketing'; topic: string; brandTopics: readonly string[] }
  | { brand: string; category: 'transactional'; purpose?: string; topic?: string; brandTopics: readonly string[] };

/**
 * Which rule a mail follows: `marketing` (consent needed), `transactional` (sent through the
 * pipeline for a purpose; not a topic, so no unsubscribe stops it), or `own`: the backend's own
 * replies to a person (confirmation, verification, acknowledgement, an inquiry's answer), which a
 * person erased or suppressed by hand may still ask for and get. A mailbox that bounces or
 * complains, under any brand, gets nothing at all, or SES pauses the account.
 */
export type FilterScope = SendScope | { brand: string; category: 'own' };

/** The scope of the backend's own mail of a brand: no topic, only bounce and complaint stop it. */
export const ownMailScope = (brand: string): FilterScope => ({ brand, category: 'own' });

/** The first skip reason that applies to a stored (or absent) subscriber, or eligible. */
export function decideRecipient(s: Subscriber | undefined, scope: FilterScope): RecipientDecision {
  const reason = firstReason(s, scope);
  return reason ? { eligible: false, reason } : { eligible: true };
}

// The contract's order of reasons ("Sending"); each category stops at its own line.
function firstReason(s: Subscriber | undefined, scope: FilterScope): SkipReason | undefined {
  const applicable = Object.entries(s?.suppressions ?? {})
    .filter(([sc]) => sc === '*' || sc === scope.brand)
    .map(([, sup]) => sup.reason);
  const has = (r: string) => applicable.includes(r as never);
  if (scope.category === 'own') {
    // A mailbox that bounced or complained, for any brand, gets none of our own mail either.
    const anywhere = Object.values(s?.suppressions ?? {}).map((sup) => sup.reason);
    if (anywhere.includes('complaint')) return 'suppressed-complaint';
    if (anywhere.includes('bounce')) return 'suppressed-bounce';
    return undefined;
  }
  if (s?.status === 'erased' || has('erasure')) return 'erased';
  if (has('complaint')) return 'suppressed-complaint';
  if (has('bounce')) return 'suppressed-bounce';
  if (has('manual')) return 'suppressed-manual';
  if (scope.category === 'transactional') return undefined;
  if (s?.status === 'restricted') return 'restricted';
  if (has('unsubscribe')) return 'unsubscribed-all';
  const topics = ownValue(s?.brands, scope.brand)?.topics;
  if (scope.brandTopics.length > 0 && scope.brandTopics.every((t) => ownValue(topics, t)?.state === 'unsubscribed')) return 'unsubscribed-all';
  const state = ownValue(topics, scope.topic)?.state;
  if (state === 'unsubscribed') return 'unsubscribed-topic';
  if (state !== 'subscribed') return 'no-consent';
  return undefined;
}

/** One line of the caller's list after normalization: a recipient to look up, or an early skip. */
export type PreparedRecipient<D> =
  | { index: number; input: string; email: NormalizedEmail; emailId: EmailId; data: D }
  | { index: number; input: string; skip: 'invalid-address' | 'duplicate' };

/**
 * Normalizes every address and collapses duplicates (after normalization: the first is kept, the
 * later ones are skipped as `duplicate`), keeping the input order.
 */
export function prepareRecipients<D>(inputs: readonly { email: string; data: D }[], idOf: (e: NormalizedEmail) => EmailId): PreparedRecipient<D>[] {
  const seen = new Set<string>();
  return inputs.map(({ email: input, data }, index) => {
    const n = normalizeEmail(input);
    if (!n.ok) return { index, input, skip: 'invalid-address' as const };
    if (seen.has(n.email)) return { index, input, skip: 'duplicate' as const };
    seen.add(n.email);
    return { index, input, email: n.email, emailId: idOf(n.email), data };
  });
}

import type { NormalizedEmail } from './email';
import { normalizeEmail } from './email';
import type { EmailId } from './email-id';
import { own } from './own';
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

export interface SendScope {
  brand: string;
  topic: string;
  category: SendCategory;
  /** Every topic the brand has, for "unsubscribed from everything of this brand". */
  brandTopics: readonly string[];
}

// Transactional mail cannot be unsubscribed from; only these stop it (CONTRACT.md "Sending").
const TRANSACTIONAL_REASONS: ReadonlySet<SkipReason> = new Set(['erased', 'suppressed-complaint', 'suppressed-bounce', 'suppressed-manual']);

/** The first skip reason that applies to a stored (or absent) subscriber, or eligible. */
export function decideRecipient(s: Subscriber | undefined, scope: SendScope): RecipientDecision {
  const reason = firstReason(s, scope);
  if (reason && (scope.category === 'marketing' || TRANSACTIONAL_REASONS.has(reason))) return { eligible: false, reason };
  return { eligible: true };
}

function firstReason(s: Subscriber | undefined, scope: SendScope): SkipReason | undefined {
  const applicable = Object.entries(s?.suppressions ?? {})
    .filter(([sc]) => sc === '*' || sc === scope.brand)
    .map(([, sup]) => sup.reason);
  const has = (r: string) => applicable.includes(r as never);
  if (s?.status === 'erased' || has('erasure')) return 'erased';
  if (has('complaint')) return 'suppressed-complaint';
  if (has('bounce')) return 'suppressed-bounce';
  if (has('manual')) return 'suppressed-manual';
  if (scope.category === 'transactional') return undefined;
  if (s?.status === 'restricted') return 'restricted';
  if (has('unsubscribe')) return 'unsubscribed-all';
  const topics = own(s?.brands, scope.brand)?.topics;
  if (scope.brandTopics.length > 0 && scope.brandTopics.every((t) => own(topics, t)?.state === 'unsubscribed')) return 'unsubscribed-all';
  const state = own(topics, scope.topic)?.state;
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

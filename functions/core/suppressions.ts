import { type Decision, SUPPRESSION_STRENGTH } from './consent';
import type { NormalizedEmail } from './email';
import type { Subscriber, Suppression, SuppressionReason } from './subscriber';

/**
 * Reading and combining suppressions. The decisions themselves (`suppress`, `liftSuppression`)
 * live in consent.ts; this is what sits around them.
 */

export const SUPPRESSION_REASONS = ['erasure', 'complaint', 'bounce', 'manual', 'unsubscribe'] as const satisfies readonly SuppressionReason[];
/** Reasons an administrator or an import may set; erasure comes only from an erasure inquiry. */
export const SETTABLE_REASONS = ['complaint', 'bounce', 'manual', 'unsubscribe'] as const satisfies readonly SuppressionReason[];
export const isSuppressionReason = (s: string): s is SuppressionReason => (SUPPRESSION_REASONS as readonly string[]).includes(s);

/** The suppressions that apply to mail of `brand` (its own and the `*` one), strongest first. */
export function suppressionsFor(s: Subscriber | undefined, brand?: string): (Suppression & { scope: string })[] {
  if (!s) return [];
  return Object.entries(s.suppressions)
    .filter(([scope]) => scope === '*' || brand === undefined || scope === brand)
    .map(([scope, sup]) => ({ ...sup, scope }))
    .sort((a, b) => SUPPRESSION_STRENGTH[b.reason] - SUPPRESSION_STRENGTH[a.reason]);
}

/** The reasons, strongest first, why mail of `brand` must not go to this person (empty: none). */
export const suppressionReasons = (s: Subscriber | undefined, brand?: string): SuppressionReason[] => [
  ...new Set(suppressionsFor(s, brand).map((x) => x.reason)),
];

/**
 * Applies several decisions one after the other, each to the result of the previous one, as one
 * change: `undefined` when none of them changes anything.
 */
export function chainDecisions(s: Subscriber, ...steps: ((current: Subscriber) => Decision | undefined)[]): Decision | undefined {
  let next = s;
  const events: Decision['events'] = [];
  for (const step of steps) {
    const d = step(next);
    if (!d) continue;
    next = d.next;
    events.push(...d.events);
  }
  return events.length ? { next, events } : undefined;
}

/**
 * Keeps the address on the profile of a suppressed person, so that the list can show and export
 * it. Never on an erased tombstone: erasure removed the address for good.
 */
export function withAddress(d: Decision | undefined, email: NormalizedEmail): Decision | undefined {
  if (!d || d.next.status === 'erased' || d.next.email) return d;
  return { ...d, next: { ...d.next, email } };
}

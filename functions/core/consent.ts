import type { ConsentChange, ConsentSource, LedgerEventContent } from './ledger';
import { own } from './own';
import type { Subscriber, SubscriptionState, SuppressionReason, SuppressionScope, TopicSubscription } from './subscriber';

/**
 * Every change of consent, suppression or status, as pure functions of the current record.
 * Each returns the record as it should be and the ledger events that say why, or `undefined` when
 * nothing would change, which is what makes every route that uses them idempotent. The store
 * writes the result in one transaction (store/subscribers.ts: updateSubscriber).
 */
export interface ChangeContext {
  at: Date;
  source: ConsentSource;
  /** The wording or policy version shown to the person. */
  wording?: string;
  policyVersion?: string;
  ip?: string;
  userAgent?: string;
  /** Who acted, when not the person. */
  by?: string;
  reason?: string;
  /** A related record: an inquiry reference, an SES message id, a campaign. */
  ref?: string;
}

export interface Decision {
  next: Subscriber;
  events: LedgerEventContent[];
}

function event(type: string, ctx: ChangeContext, changes: ConsentChange[]): LedgerEventContent {
  return {
    type,
    at: ctx.at.toISOString(),
    source: ctx.source,
    changes,
    ...(ctx.wording ? { wording: ctx.wording } : {}),
    ...(ctx.policyVersion ? { policyVersion: ctx.policyVersion } : {}),
    ...(ctx.ip ? { ip: ctx.ip } : {}),
    ...(ctx.userAgent ? { userAgent: ctx.userAgent } : {}),
    ...(ctx.by ? { by: ctx.by } : {}),
    ...(ctx.reason ? { reason: ctx.reason } : {}),
    ...(ctx.ref ? { ref: ctx.ref } : {}),
  };
}

/**
 * Sets topic states of one brand. Only topics whose state differs are changed and recorded.
 * `only` limits which current states may move (a subscription request must never downgrade a
 * confirmed topic to pending, nor revive an unsubscribed one without confirmation).
 */
export function setTopicStates(
  s: Subscriber,
  brand: string,
  desired: Record<string, SubscriptionState>,
  ctx: ChangeContext,
  eventType: string,
  only?: (current: SubscriptionState | undefined, wanted: SubscriptionState) => boolean,
): Decision | undefined {
  const at = ctx.at.toISOString();
  const current = own(s.brands, brand)?.topics ?? {};
  const topics = { ...current };
  const changes: ConsentChange[] = [];
  for (const [topic, to] of Object.entries(desired)) {
    const from = own(current, topic)?.state;
    if (from === to || (only && !only(from, to))) continue;
    topics[topic] = { state: to, at };
    changes.push({ brand, topic, ...(from ? { from } : {}), to });
  }
  if (changes.length === 0) return undefined;
  return {
    next: { ...s, brands: { ...s.brands, [brand]: { ...s.brands[brand], topics } }, updatedAt: at },
    events: [event(eventType, ctx, changes)],
  };
}

/** A subscription request: new or unsubscribed topics become `pending` until confirmed. */
export const requestTopics = (s: Subscriber, brand: string, topics: string[], ctx: ChangeContext) =>
  setTopicStates(s, brand, Object.fromEntries(topics.map((t) => [t, 'pending' as const])), ctx, 'subscription-requested', (from) => from !== 'subscribed');

/** Double opt-in confirmed: the topics become `subscribed`. */
export const confirmTopics = (s: Subscriber, brand: string, topics: string[], ctx: ChangeContext) =>
  setTopicStates(s, brand, Object.fromEntries(topics.map((t) => [t, 'subscribed' as const])), ctx, 'consent-given');

/** Unsubscribes topics of one brand (one-click names one topic; the page may name several). */
export const unsubscribeTopics = (s: Subscriber, brand: string, topics: string[], ctx: ChangeContext) =>
  setTopicStates(s, brand, Object.fromEntries(topics.map((t) => [t, 'unsubscribed' as const])), ctx, 'unsubscribed');

/**
 * What `unsubscribeTopics` decides for one topic that is `subscribed`, without the record: the
 * topic's new value and its event. The one-click fast path writes exactly this, conditioned on
 * the topic being `subscribed` in the store (test/unit/consent.test.ts holds the two equal).
 */
export function unsubscribeSubscribedTopic(brand: string, topic: string, ctx: ChangeContext): { topic: TopicSubscription; event: LedgerEventContent } {
  return {
    topic: { state: 'unsubscribed', at: ctx.at.toISOString() },
    event: event('unsubscribed', ctx, [{ brand, topic, from: 'subscribed', to: 'unsubscribed' }]),
  };
}

/**
 * Unsubscribes every topic of the given brands (all of the record's brands when `brands` is
 * `'all'`), including topics never subscribed, so that the brand's whole list is closed to them.
 */
export function unsubscribeEverything(
  s: Subscriber,
  brands: { id: string; topics: readonly string[] }[],
  ctx: ChangeContext,
  eventType = 'unsubscribed-all',
): Decision | undefined {
  let next = s;
  const changes: ConsentChange[] = [];
  for (const b of brands) {
    const d = unsubscribeTopics(next, b.id, [...new Set([...b.topics, ...Object.keys(next.brands[b.id]?.topics ?? {})])], ctx);
    if (d) {
      next = d.next;
      changes.push(...(d.events[0]?.changes ?? []));
    }
  }
  return changes.length ? { next, events: [event(eventType, ctx, changes)] } : undefined;
}

/** Adds a suppression (`*` = every brand). A stronger reason already in place is kept. */
export function suppress(s: Subscriber, scope: SuppressionScope, reason: SuppressionReason, ctx: ChangeContext): Decision | undefined {
  const existing = own(s.suppressions, scope);
  if (existing && SUPPRESSION_STRENGTH[existing.reason] >= SUPPRESSION_STRENGTH[reason]) return undefined;
  const at = ctx.at.toISOString();
  return {
    next: {
      ...s,
      suppressions: {
        ...s.suppressions,
        [scope]: { reason, at, source: ctx.source, ...(ctx.ref ? { messageId: ctx.ref } : {}), ...(ctx.reason ? { note: ctx.reason } : {}) },
      },
      updatedAt: at,
    },
    events: [event('suppressed', ctx, [{ ...(scope === '*' ? {} : { brand: scope }), ...(existing ? { from: existing.reason } : {}), to: reason }])],
  };
}

/** Lifts a suppression; an erasure tombstone can never be lifted. */
export function liftSuppression(s: Subscriber, scope: SuppressionScope, ctx: ChangeContext): Decision | undefined {
  const existing = own(s.suppressions, scope);
  if (!existing || existing.reason === 'erasure') return undefined;
  const { [scope]: _, ...rest } = s.suppressions;
  const at = ctx.at.toISOString();
  return {
    next: { ...s, suppressions: rest, updatedAt: at },
    events: [event('suppression-lifted', ctx, [{ ...(scope === '*' ? {} : { brand: scope }), from: existing.reason, to: 'none' }])],
  };
}

/** Which reason wins when two apply to the same scope: the one that must never be undone by accident. */
export const SUPPRESSION_STRENGTH: Record<SuppressionReason, number> = { erasure: 5, complaint: 4, bounce: 3, manual: 2, unsubscribe: 1 };

export function setRestricted(s: Subscriber, restricted: boolean, ctx: ChangeContext): Decision | undefined {
  if (s.status === 'erased') return undefined;
  const to = restricted ? 'restricted' : 'active';
  if (s.status === to) return undefined;
  const at = ctx.at.toISOString();
  return { next: { ...s, status: to, updatedAt: at }, events: [event(restricted ? 'restricted' : 'restriction-lifted', ctx, [{ from: s.status, to }])] };
}

/**
 * Erasure: the address, name and every topic state go; what stays is a tombstone under the same
 * `emailId` with a `*` erasure suppression, so every brand's filter skips the person forever.
 * (The store deletes the ledger's details in the same step.)
 */
export function erase(s: Subscriber, ctx: ChangeContext): Decision {
  const at = ctx.at.toISOString();
  return {
    next: {
      emailId: s.emailId,
      status: 'erased',
      brands: {},
      suppressions: { '*': { reason: 'erasure', at, source: ctx.source, ...(ctx.ref ? { messageId: ctx.ref } : {}) } },
      ledger: s.ledger,
      createdAt: s.createdAt,
      updatedAt: at,
    },
    events: [event('erased', { at: ctx.at, source: ctx.source, ...(ctx.by ? { by: ctx.by } : {}), ...(ctx.ref ? { ref: ctx.ref } : {}) }, [{ to: 'erased' }])],
  };
}

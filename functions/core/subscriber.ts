import type { EmailId } from './email-id';
import type { LedgerEventContent } from './ledger';
import { own } from './own';

/**
 * The person (`Subscriber`: active, restricted or erased) is kept apart from each of their
 * subscriptions (`SubscriptionState` per brand and topic: pending, subscribed, unsubscribed), as
 * listmonk does. Everything the send filter needs lives on this one record, so deciding a
 * recipient costs one read.
 */
export type SubscriberStatus = 'active' | 'restricted' | 'erased';
export type SubscriptionState = 'pending' | 'subscribed' | 'unsubscribed';
export type SuppressionReason = 'bounce' | 'complaint' | 'manual' | 'unsubscribe' | 'erasure';
/** `*` is every brand; otherwise a brand id. */
export type SuppressionScope = string;

export interface TopicSubscription {
  state: SubscriptionState;
  at: string;
}

export interface BrandSubscriptions {
  topics: Record<string, TopicSubscription>;
  locale?: string;
}

export interface Suppression {
  reason: SuppressionReason;
  at: string;
  source: string;
  /** The SES message id, or another record, that caused it. */
  messageId?: string;
  note?: string;
}

export interface LedgerHead {
  /** Number of events so far; also the record's version for optimistic concurrency. */
  seq: number;
  /** Hash of the last event, or the genesis hash. */
  hash: string;
}

export interface Subscriber {
  emailId: EmailId;
  /** The normalized address in clear; absent for a record made from a token only, and after erasure. */
  email?: string;
  name?: string;
  status: SubscriberStatus;
  brands: Record<string, BrandSubscriptions>;
  suppressions: Record<SuppressionScope, Suppression>;
  ledger: LedgerHead;
  /**
   * Events written by the one-click fast path (store/one-click.ts) and not yet in the hash chain,
   * oldest first. The next change of the record chains them ahead of its own events
   * (`subscriberWrites`), and every reader of the ledger seals them first (`listLedger`).
   */
  unsealed?: LedgerEventContent[];
  createdAt: string;
  updatedAt: string;
}

export const GENESIS_HASH = '0'.repeat(64);

export function newSubscriber(emailId: EmailId, at: Date, email?: string): Subscriber {
  const iso = at.toISOString();
  return {
    emailId,
    ...(email ? { email } : {}),
    status: 'active',
    brands: {},
    suppressions: {},
    ledger: { seq: 0, hash: GENESIS_HASH },
    createdAt: iso,
    updatedAt: iso,
  };
}

export function topicState(s: Subscriber | undefined, brand: string, topic: string): SubscriptionState | undefined {
  const topics = own(s?.brands, brand)?.topics;
  return own(topics, topic)?.state;
}

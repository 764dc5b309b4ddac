import { isRedacted, type RecordedLedgerEvent } from './ledger';

/**
 * Topics of a brand the person once confirmed (a ledger change to `subscribed`). A resubscribe
 * may restore these without a new double opt-in; any other topic needs a confirmation mail.
 */
export function everConfirmedTopics(events: readonly RecordedLedgerEvent[], brand: string): Set<string> {
  const topics = new Set<string>();
  for (const e of events) {
    if (isRedacted(e)) continue;
    for (const ch of e.changes) if (ch.brand === brand && ch.topic && ch.to === 'subscribed') topics.add(ch.topic);
  }
  return topics;
}

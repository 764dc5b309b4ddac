import type { Brand } from './brands';
import { type ChangeContext, type Decision, requestTopics, setTopicStates, unsubscribeEverything, unsubscribeTopics } from './consent';
import { own } from './own';
import type { Subscriber } from './subscriber';

/**
 * A change asked for on the preference page or through the JSON API.
 * - `topics`: the states wanted per topic (`subscribed` or `unsubscribed`);
 * - `unsubscribe-all`: every topic of the brand;
 * - `resubscribe`: every topic of the brand the person once confirmed.
 */
export type PreferenceChange =
  | { kind: 'topics'; topics: Record<string, 'subscribed' | 'unsubscribed'> }
  | { kind: 'unsubscribe-all' }
  | { kind: 'resubscribe' };

/**
 * The resubscribe rule: a topic the person once confirmed (`everConfirmed`, from the ledger) goes
 * back to `subscribed` at once; any other topic becomes `pending` and needs a new double opt-in
 * (`requested` lists them so that a confirmation mail can go out), and only when the record holds
 * an address to mail. Unsubscribing moves only `subscribed` or `pending` topics, so a page save
 * does not fill the ledger with topics the person never had. An erased tombstone can only lose
 * topics, never gain them.
 */
export function decidePreferences(
  s: Subscriber,
  brand: Pick<Brand, 'id' | 'topics'>,
  change: PreferenceChange,
  everConfirmed: ReadonlySet<string>,
  ctx: ChangeContext,
): (Decision & { requested: string[] }) | undefined {
  if (change.kind === 'unsubscribe-all') {
    const d = unsubscribeEverything(s, [brand], ctx);
    return d && { ...d, requested: [] };
  }
  const desired: Record<string, 'subscribed' | 'unsubscribed'> =
    change.kind === 'resubscribe' ? Object.fromEntries(brand.topics.filter((t) => everConfirmed.has(t)).map((t) => [t, 'subscribed'])) : change.topics;
  const current = own(s.brands, brand.id)?.topics;
  const unsubscribe: string[] = [];
  const resubscribe: string[] = [];
  const requested: string[] = [];
  for (const [topic, wanted] of Object.entries(desired)) {
    const from = own(current, topic)?.state;
    if (wanted === 'unsubscribed') {
      if (from === 'subscribed' || from === 'pending') unsubscribe.push(topic);
    } else if (from !== 'subscribed' && s.status !== 'erased') {
      if (everConfirmed.has(topic)) resubscribe.push(topic);
      else if (from !== 'pending' && s.email) requested.push(topic);
    }
  }
  // Applied in turn on the same record, each adding its own ledger event.
  let next = s;
  const events: Decision['events'] = [];
  const steps = [
    (x: Subscriber) => unsubscribeTopics(x, brand.id, unsubscribe, ctx),
    (x: Subscriber) => setTopicStates(x, brand.id, Object.fromEntries(resubscribe.map((t) => [t, 'subscribed' as const])), ctx, 'resubscribed'),
    (x: Subscriber) => requestTopics(x, brand.id, requested, ctx),
  ];
  for (const step of steps) {
    const d = step(next);
    if (d) {
      next = d.next;
      events.push(...d.events);
    }
  }
  return events.length ? { next, events, requested } : undefined;
}

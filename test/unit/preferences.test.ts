import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../functions/core/clock';
import { confirmTopics, requestTopics, unsubscribeTopics } from '../../functions/core/consent';
import { everConfirmedTopics } from '../../functions/core/consent-history';
import type { EmailId } from '../../functions/core/email-id';
import { appendEvents, type LedgerEventContent } from '../../functions/core/ledger';
import { decidePreferences } from '../../functions/core/preferences';
import { newSubscriber, type Subscriber } from '../../functions/core/subscriber';
import { createTokenService, isExpired } from '../../functions/core/tokens';

const at = new Date('2026-11-29T09:00:00Z');
const ctx = { at, source: 'preference-page' as const, policyVersion: 'v1' };
const brand = { id: 'livlog', topics: ['newsletter', 'promotions', 'events', 'surveys'] };
const must = <T>(v: T | undefined): T => {
  if (v === undefined) throw new Error('expected a value');
  return v;
};
const withEmail = () => newSubscriber('x'.repeat(43) as EmailId, at, 'taro@example.com');
const state = (s: Subscriber, t: string) => s.brands.livlog?.topics[t]?.state;

describe('the resubscribe rule (decidePreferences)', () => {
  const confirmed = must(confirmTopics(withEmail(), 'livlog', ['newsletter'], ctx)).next;

  it('restores a topic confirmed before at once, and only requests (pending) one never confirmed', () => {
    const left = must(unsubscribeTopics(confirmed, 'livlog', ['newsletter'], ctx)).next;
    const d = must(
      decidePreferences(left, brand, { kind: 'topics', topics: { newsletter: 'subscribed', events: 'subscribed' } }, new Set(['newsletter']), ctx),
    );
    expect(state(d.next, 'newsletter')).toBe('subscribed');
    expect(state(d.next, 'events')).toBe('pending');
    expect(d.requested).toEqual(['events']);
    expect(d.events.map((e) => e.type)).toEqual(['resubscribed', 'subscription-requested']);
  });

  it('requests nothing for a record without an address (nobody to mail) and never revives a tombstone', () => {
    const noEmail = newSubscriber('y'.repeat(43) as EmailId, at);
    expect(decidePreferences(noEmail, brand, { kind: 'topics', topics: { events: 'subscribed' } }, new Set(), ctx)).toBeUndefined();
    const tomb: Subscriber = { ...confirmed, status: 'erased', email: undefined, brands: {} };
    expect(decidePreferences(tomb, brand, { kind: 'resubscribe' }, new Set(['newsletter']), ctx)).toBeUndefined();
  });

  it('unsubscribes only topics that were subscribed or pending, so a page save writes no noise', () => {
    const pending = must(requestTopics(confirmed, 'livlog', ['surveys'], ctx)).next;
    const d = must(
      decidePreferences(
        pending,
        brand,
        { kind: 'topics', topics: { newsletter: 'unsubscribed', promotions: 'unsubscribed', events: 'unsubscribed', surveys: 'unsubscribed' } },
        new Set(['newsletter']),
        ctx,
      ),
    );
    expect(d.events).toHaveLength(1);
    expect(d.events[0]?.changes.map((c) => c.topic)).toEqual(['newsletter', 'surveys']);
    expect(decidePreferences(d.next, brand, { kind: 'topics', topics: { newsletter: 'unsubscribed' } }, new Set(['newsletter']), ctx)).toBeUndefined();
  });

  it('unsubscribe-all closes every topic of the brand; resubscribe restores only the confirmed ones', () => {
    const all = must(decidePreferences(confirmed, brand, { kind: 'unsubscribe-all' }, new Set(), ctx)).next;
    expect(brand.topics.map((t) => state(all, t))).toEqual(['unsubscribed', 'unsubscribed', 'unsubscribed', 'unsubscribed']);
    const back = must(decidePreferences(all, brand, { kind: 'resubscribe' }, new Set(['newsletter']), ctx));
    expect(brand.topics.map((t) => state(back.next, t))).toEqual(['subscribed', 'unsubscribed', 'unsubscribed', 'unsubscribed']);
    expect(back.requested).toEqual([]);
  });
});

describe('everConfirmedTopics', () => {
  it('finds the topics of a brand once changed to subscribed, skipping redacted events and other brands', () => {
    const contents: LedgerEventContent[] = [
      { type: 'consent-given', at: at.toISOString(), source: 'confirmation', changes: [{ brand: 'livlog', topic: 'events', to: 'subscribed' }] },
      { type: 'consent-given', at: at.toISOString(), source: 'confirmation', changes: [{ brand: 'chroco', topic: 'surveys', to: 'subscribed' }] },
      { type: 'subscription-requested', at: at.toISOString(), source: 'api', changes: [{ brand: 'livlog', topic: 'promotions', to: 'pending' }] },
    ];
    const { events } = appendEvents({ seq: 0, hash: '0'.repeat(64) }, contents);
    expect([...everConfirmedTopics(events, 'livlog')]).toEqual(['events']);
    const redacted = events.map((e) => ({ seq: e.seq, redacted: true as const, contentHash: e.contentHash, prevHash: e.prevHash, hash: e.hash }));
    expect(everConfirmedTopics(redacted, 'livlog').size).toBe(0);
  });
});

describe('expired tokens on request', () => {
  it('verify throws on an expired token unless allowExpired, which returns the authentic payload', () => {
    const clock = fixedClock('2026-11-29T00:00:00Z');
    const tokens = createTokenService({ signingKeyId: 'k', keys: { k: Buffer.alloc(32, 5) } }, clock);
    const t = tokens.sign('confirm', { b: 'livlog', t: ['newsletter'] });
    clock.advance(8 * 24 * 3600 * 1000);
    expect(() => tokens.verify(t, 'confirm')).toThrow(/expired/);
    const p = tokens.verify(t, 'confirm', { allowExpired: true });
    expect(p).toMatchObject({ b: 'livlog', t: ['newsletter'] });
    expect(isExpired(p, clock.now())).toBe(true);
    // Still authenticated: a re-signed or wrong-purpose token is refused even so.
    expect(() => tokens.verify(t, 'unsubscribe', { allowExpired: true })).toThrow(/wrong-purpose/);
  });
});

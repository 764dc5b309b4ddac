import { describe, expect, it } from 'vitest';
import {
  confirmTopics,
  erase,
  liftSuppression,
  requestTopics,
  setRestricted,
  suppress,
  unsubscribeEverything,
  unsubscribeSubscribedTopic,
  unsubscribeTopics,
} from '../../functions/core/consent';
import type { EmailId } from '../../functions/core/email-id';
import { newSubscriber, type Subscriber } from '../../functions/core/subscriber';

const at = new Date('2026-11-29T09:00:00Z');
const ctx = { at, source: 'api' as const, ip: '198.51.100.7', userAgent: 'ua', policyVersion: 'v1' };
const fresh = () => newSubscriber('x'.repeat(43) as EmailId, at, 'taro@example.com');
const must = <T>(v: T | undefined): T => {
  if (v === undefined) throw new Error('expected a change');
  return v;
};

describe('consent transitions', () => {
  it('requests then confirms topics, recording old and new states with the request meta', () => {
    const requested = must(requestTopics(fresh(), 'livlog', ['newsletter', 'events'], ctx));
    expect(requested.next.brands.livlog?.topics.newsletter?.state).toBe('pending');
    expect(requested.events[0]).toMatchObject({ type: 'subscription-requested', ip: '198.51.100.7', userAgent: 'ua', policyVersion: 'v1' });
    const confirmed = must(confirmTopics(requested.next, 'livlog', ['newsletter', 'events'], { ...ctx, source: 'confirmation' }));
    expect(confirmed.events[0]?.changes).toEqual([
      { brand: 'livlog', topic: 'newsletter', from: 'pending', to: 'subscribed' },
      { brand: 'livlog', topic: 'events', from: 'pending', to: 'subscribed' },
    ]);
  });

  it('never downgrades a confirmed topic to pending on a repeated request', () => {
    const s = must(confirmTopics(fresh(), 'livlog', ['newsletter'], ctx)).next;
    expect(requestTopics(s, 'livlog', ['newsletter'], ctx)).toBeUndefined();
    const d = must(requestTopics(s, 'livlog', ['newsletter', 'surveys'], ctx));
    expect(d.next.brands.livlog?.topics.newsletter?.state).toBe('subscribed');
    expect(d.next.brands.livlog?.topics.surveys?.state).toBe('pending');
  });

  it('is idempotent: the same unsubscribe twice changes nothing the second time', () => {
    const s = must(confirmTopics(fresh(), 'livlog', ['newsletter'], ctx)).next;
    const once = must(unsubscribeTopics(s, 'livlog', ['newsletter'], { ...ctx, source: 'one-click' }));
    expect(unsubscribeTopics(once.next, 'livlog', ['newsletter'], ctx)).toBeUndefined();
  });

  it('decides for a subscribed topic, without the record, exactly what unsubscribeTopics decides with it (the one-click fast path)', () => {
    const s = must(confirmTopics(fresh(), 'livlog', ['newsletter', 'events'], { ...ctx, at: new Date('2026-11-01T00:00:00Z') })).next;
    const later = { ...ctx, at, source: 'one-click' as const, wording: 'w' };
    const full = must(unsubscribeTopics(s, 'livlog', ['newsletter'], later));
    const fast = unsubscribeSubscribedTopic('livlog', 'newsletter', later);
    expect(fast.topic).toEqual(full.next.brands.livlog?.topics.newsletter);
    expect([fast.event]).toEqual(full.events);
    expect(full.next.updatedAt).toBe(fast.topic.at);
  });

  it('unsubscribes every topic of the named brands, even never-subscribed ones, and leaves other brands alone', () => {
    const s = must(confirmTopics(fresh(), 'chroco', ['events'], ctx)).next;
    const d = must(unsubscribeEverything(s, [{ id: 'livlog', topics: ['newsletter', 'promotions'] }], ctx));
    expect(Object.values(d.next.brands.livlog?.topics ?? {}).map((t) => t.state)).toEqual(['unsubscribed', 'unsubscribed']);
    expect(d.next.brands.chroco?.topics.events?.state).toBe('subscribed');
    expect(d.events).toHaveLength(1);
  });

  it('keeps the stronger suppression and never lifts an erasure', () => {
    const complained = must(suppress(fresh(), '*', 'complaint', { ...ctx, source: 'ses-feedback', ref: 'msg-1' })).next;
    expect(complained.suppressions['*']).toMatchObject({ reason: 'complaint', messageId: 'msg-1' });
    expect(suppress(complained, '*', 'bounce', ctx)).toBeUndefined();
    expect(must(liftSuppression(complained, '*', { ...ctx, source: 'admin', by: 'officer' })).next.suppressions).toEqual({});
    const erased = erase(complained, { ...ctx, source: 'inquiry', ref: 'INQ-1' }).next;
    expect(liftSuppression(erased, '*', ctx)).toBeUndefined();
  });

  it('erases the address, name and topics, and leaves a suppressed tombstone', () => {
    const s: Subscriber = { ...must(confirmTopics(fresh(), 'livlog', ['newsletter'], ctx)).next, name: 'Taro' };
    const d = erase(s, { ...ctx, source: 'inquiry', ref: 'INQ-1' });
    expect(d.next).toMatchObject({ emailId: s.emailId, status: 'erased', brands: {}, suppressions: { '*': { reason: 'erasure' } } });
    expect(JSON.stringify(d)).not.toMatch(/taro|Taro|198\.51/);
  });

  it('restricts and lifts a restriction, but not for an erased record', () => {
    const r = must(setRestricted(fresh(), true, ctx));
    expect(r.next.status).toBe('restricted');
    expect(setRestricted(r.next, true, ctx)).toBeUndefined();
    expect(must(setRestricted(r.next, false, ctx)).next.status).toBe('active');
    expect(setRestricted(erase(fresh(), ctx).next, false, ctx)).toBeUndefined();
  });
});

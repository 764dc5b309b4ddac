import { describe, expect, it } from 'vitest';
import type { NormalizedEmail } from '../../functions/core/email';
import type { EmailId } from '../../functions/core/email-id';
import { decideRecipient, ownMailScope, prepareRecipients, type SendScope, SKIP_REASONS, type SkipReason } from '../../functions/core/recipient-filter';
import { newSubscriber, type Subscriber } from '../../functions/core/subscriber';

const TOPICS = ['newsletter', 'promotions', 'events', 'surveys'];
const marketing: SendScope = { brand: 'livlog', topic: 'newsletter', category: 'marketing', brandTopics: TOPICS };
const transactional: SendScope = { ...marketing, category: 'transactional' };
const at = '2026-11-29T09:00:00.000Z';

function subscribed(): Subscriber {
  const s = newSubscriber('id' as EmailId, new Date(at), 'a@example.com');
  s.brands.livlog = { topics: Object.fromEntries(TOPICS.map((t) => [t, { state: 'subscribed' as const, at }])) };
  return s;
}

type Condition = (s: Subscriber, scope: string) => void;
const suppress =
  (reason: 'complaint' | 'bounce' | 'manual' | 'unsubscribe' | 'erasure'): Condition =>
  (s, scope) => {
    s.suppressions[scope] = { reason, at, source: 'test' };
  };
const setTopic =
  (topic: string, state: 'pending' | 'unsubscribed'): Condition =>
  (s) => {
    const t = s.brands.livlog?.topics[topic];
    if (t) t.state = state;
  };

/** One way of making each reason apply, combinable with the others in pairs. */
const CONDITIONS: Record<Exclude<SkipReason, 'invalid-address' | 'duplicate'>, Condition> = {
  erased: suppress('erasure'),
  'suppressed-complaint': suppress('complaint'),
  'suppressed-bounce': suppress('bounce'),
  'suppressed-manual': suppress('manual'),
  restricted: (s) => {
    s.status = 'restricted';
  },
  'unsubscribed-all': suppress('unsubscribe'),
  'unsubscribed-topic': setTopic('newsletter', 'unsubscribed'),
  'no-consent': setTopic('newsletter', 'pending'),
};
const STORED_REASONS = Object.keys(CONDITIONS) as (keyof typeof CONDITIONS)[];
const TRANSACTIONAL_REASONS = ['erased', 'suppressed-complaint', 'suppressed-bounce', 'suppressed-manual'];

describe('decideRecipient (send filter rule)', () => {
  it('lets a confirmed subscriber of the topic through, for marketing and transactional', () => {
    expect(decideRecipient(subscribed(), marketing)).toEqual({ eligible: true });
    expect(decideRecipient(subscribed(), transactional)).toEqual({ eligible: true });
  });

  it('gives no-consent for an unknown address (marketing) and lets transactional through', () => {
    expect(decideRecipient(undefined, marketing)).toEqual({ eligible: false, reason: 'no-consent' });
    expect(decideRecipient(undefined, transactional)).toEqual({ eligible: true });
  });

  it.each(STORED_REASONS)('gives %s when only that applies (marketing), and transactional only for its reasons', (reason) => {
    const s = subscribed();
    CONDITIONS[reason](s, '*');
    expect(decideRecipient(s, marketing)).toEqual({ eligible: false, reason });
    expect(decideRecipient(s, transactional)).toEqual(TRANSACTIONAL_REASONS.includes(reason) ? { eligible: false, reason } : { eligible: true });
  });

  const pairs = STORED_REASONS.flatMap((first, i) =>
    STORED_REASONS.slice(i + 1)
      // Both set the same topic's state; unsubscribed-all also implies unsubscribed-topic below.
      .filter((second) => !(first === 'unsubscribed-topic' && second === 'no-consent'))
      .map((second) => [first, second] as const),
  );
  it.each(pairs)('prefers %s over %s, whichever order they were set in', (first, second) => {
    for (const [a, b] of [
      [first, second],
      [second, first],
    ] as const) {
      const s = subscribed();
      CONDITIONS[a](s, '*');
      CONDITIONS[b](s, 'livlog');
      expect(decideRecipient(s, marketing)).toEqual({ eligible: false, reason: first });
      const tx = [first, second].find((r) => TRANSACTIONAL_REASONS.includes(r));
      expect(decideRecipient(s, transactional)).toEqual(tx ? { eligible: false, reason: tx } : { eligible: true });
    }
  });

  it('counts status erased as erased, and restricted as restricted only for marketing', () => {
    const erased = subscribed();
    erased.status = 'erased';
    expect(decideRecipient(erased, marketing)).toEqual({ eligible: false, reason: 'erased' });
    expect(decideRecipient(erased, transactional)).toEqual({ eligible: false, reason: 'erased' });
  });

  it('reads unsubscribed-all from every topic of the brand unsubscribed, and prefers it to the topic', () => {
    const s = subscribed();
    for (const t of TOPICS) setTopic(t, 'unsubscribed')(s, '');
    expect(decideRecipient(s, marketing)).toEqual({ eligible: false, reason: 'unsubscribed-all' });
    setTopic('surveys', 'pending')(s, '');
    expect(decideRecipient(s, marketing)).toEqual({ eligible: false, reason: 'unsubscribed-topic' });
  });

  it('ignores suppressions and states of other brands', () => {
    const s = subscribed();
    suppress('complaint')(s, 'cotogoto');
    suppress('unsubscribe')(s, 'chroco');
    s.brands.chroco = { topics: { newsletter: { state: 'unsubscribed', at } } };
    expect(decideRecipient(s, marketing)).toEqual({ eligible: true });
    expect(decideRecipient(s, { ...marketing, brand: 'cotogoto' })).toEqual({ eligible: false, reason: 'suppressed-complaint' });
  });

  it('gives no-consent for another topic of the brand never confirmed', () => {
    const s = subscribed();
    delete s.brands.livlog?.topics.events;
    expect(decideRecipient(s, { ...marketing, topic: 'events' })).toEqual({ eligible: false, reason: 'no-consent' });
  });

  it('lists the reasons in the contract order', () => {
    expect(SKIP_REASONS).toEqual([
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
    ]);
  });
});

describe('prepareRecipients', () => {
  const idOf = (e: NormalizedEmail) => `id:${e}` as EmailId;
  it('normalizes, keeps the first of duplicates (after normalization) and the input order', () => {
    const out = prepareRecipients(
      ['A@Example.com', 'not-an-address', ' a@example.COM ', 'b@example.com', 'x\r\n@example.com'].map((email) => ({ email, data: undefined })),
      idOf,
    );
    expect(out.map((p) => ('skip' in p ? p.skip : p.email))).toEqual(['a@example.com', 'invalid-address', 'duplicate', 'b@example.com', 'invalid-address']);
    expect(out.map((p) => p.index)).toEqual([0, 1, 2, 3, 4]);
    expect(out[0]).toMatchObject({ emailId: 'id:a@example.com' });
  });
});

describe('token bucket', async () => {
  const { takeToken, fullBucket, backoffDelay } = await import('../../functions/core/token-bucket');
  it('allows the burst, then one token per 1/rate seconds', () => {
    const limits = { rate: 2, burst: 2 };
    let state = fullBucket(limits, 0);
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = takeToken(state, 0, limits);
      state = r.next;
      waits.push(r.waitMs);
    }
    expect(waits).toEqual([0, 0, 500]);
    expect(takeToken(state, 500, limits).waitMs).toBe(0);
  });
  it('keeps backoff within the cap', () => {
    expect(backoffDelay(20, 0.999, { baseMs: 50, capMs: 1000 })).toBeLessThan(1000);
    expect(backoffDelay(1, 0.5, { baseMs: 100 })).toBe(100);
  });
});

describe('createRateLimiter (token bucket with an injected clock)', async () => {
  const { createRateLimiter } = await import('../../functions/queue/rate-limiter');
  it('lets the burst through at once, then waits 1/rate seconds per send', async () => {
    let t = 0;
    const slept: number[] = [];
    const limiter = createRateLimiter(2, {
      now: () => t,
      sleep: async (ms) => {
        slept.push(ms);
        t += ms;
      },
    });
    await limiter.take(5);
    expect(slept).toEqual([500, 500, 500]);
    expect(t).toBe(1500);
  });
});

describe("the backend's own mail (confirmations, acknowledgements, answers)", () => {
  const own = ownMailScope('livlog');

  it('is stopped only by a bounce or a complaint, of any brand (the mailbox is the same)', () => {
    for (const [reason, expected] of [
      ['complaint', 'suppressed-complaint'],
      ['bounce', 'suppressed-bounce'],
    ] as const) {
      for (const scope of ['*', 'livlog', 'chroco']) {
        const s = subscribed();
        suppress(reason)(s, scope);
        expect(decideRecipient(s, own), `${reason} ${scope}`).toEqual({ eligible: false, reason: expected });
      }
    }
  });

  it('reaches a person erased, suppressed by hand, restricted, unsubscribed or never confirmed: they may still ask and be answered', () => {
    for (const make of [suppress('erasure'), suppress('manual'), suppress('unsubscribe')]) {
      const s = subscribed();
      make(s, '*');
      expect(decideRecipient(s, own)).toEqual({ eligible: true });
    }
    const restricted = subscribed();
    restricted.status = 'restricted';
    expect(decideRecipient(restricted, own)).toEqual({ eligible: true });
    expect(decideRecipient(undefined, own)).toEqual({ eligible: true });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConcurrentUpdateError } from '../../functions/core/errors';
import { verifyLedger } from '../../functions/core/ledger';
import type { Subscriber } from '../../functions/core/subscriber';
import { commitSubscriber, getSubscriber, listLedger, updateSubscriber } from '../../functions/store/subscribers';
import { createTestStack, emailIdFor, type TestStack, uniqueEmail } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack();
});
afterAll(() => stack.dispose());

const idFor = (addr: string) => emailIdFor(stack, addr);

const subscribe = (s: Subscriber, topic: string, at: string) => ({
  next: {
    ...s,
    brands: { ...s.brands, livlog: { topics: { ...s.brands.livlog?.topics, [topic]: { state: 'subscribed' as const, at } } } },
    updatedAt: at,
  },
  events: [{ type: 'consent-given', at, source: 'confirmation' as const, changes: [{ brand: 'livlog', topic, to: 'subscribed' }] }],
});

describe('subscriber store (DynamoDB Local)', () => {
  it('writes the record and its ledger event in one transaction, chained', async () => {
    const emailId = idFor(uniqueEmail());
    await updateSubscriber(stack.deps.db, stack.clock, emailId, (s) => subscribe(s, 'newsletter', '2026-11-29T09:00:00Z'));
    await updateSubscriber(stack.deps.db, stack.clock, emailId, (s) => subscribe(s, 'events', '2026-11-29T09:01:00Z'));
    const s = await getSubscriber(stack.deps.db, emailId);
    expect(s?.brands.livlog?.topics).toEqual({
      newsletter: { state: 'subscribed', at: '2026-11-29T09:00:00Z' },
      events: { state: 'subscribed', at: '2026-11-29T09:01:00Z' },
    });
    const ledger = await listLedger(stack.deps.db, emailId);
    expect(ledger.map((e) => ('changes' in e ? e.changes[0]?.topic : 'redacted'))).toEqual(['newsletter', 'events']);
    expect(s && verifyLedger(ledger, s.ledger)).toEqual({ ok: true });
  });

  it('refuses a write based on a stale read, leaving neither record nor event behind', async () => {
    const emailId = idFor(uniqueEmail());
    const { subscriber: v1 } = await updateSubscriber(stack.deps.db, stack.clock, emailId, (s) => subscribe(s, 'newsletter', '2026-11-29T09:00:00Z'));
    await commitSubscriber(stack.deps.db, v1, subscribe(v1, 'events', '2026-11-29T09:02:00Z'));
    // A second writer that read v1 too: its transaction must fail whole.
    await expect(commitSubscriber(stack.deps.db, v1, subscribe(v1, 'surveys', '2026-11-29T09:03:00Z'))).rejects.toBeInstanceOf(ConcurrentUpdateError);
    const ledger = await listLedger(stack.deps.db, emailId);
    expect(ledger).toHaveLength(2);
    expect((await getSubscriber(stack.deps.db, emailId))?.brands.livlog?.topics.surveys).toBeUndefined();
  });

  it('retries from a fresh read when writers race, and every change lands in state and ledger', async () => {
    const emailId = idFor(uniqueEmail());
    const topics = ['newsletter', 'promotions', 'events', 'surveys'];
    await Promise.all(
      topics.map((t) => updateSubscriber(stack.deps.db, stack.clock, emailId, (s) => subscribe(s, t, '2026-11-29T10:00:00Z'), { attempts: 10 })),
    );
    const s = await getSubscriber(stack.deps.db, emailId);
    const ledger = await listLedger(stack.deps.db, emailId);
    expect(Object.keys(s?.brands.livlog?.topics ?? {}).sort()).toEqual([...topics].sort());
    expect(ledger).toHaveLength(4);
    expect(s && verifyLedger(ledger, s.ledger)).toEqual({ ok: true });
  });

  it('writes nothing when the decision is "no change" (idempotent requests)', async () => {
    const emailId = idFor(uniqueEmail());
    const r = await updateSubscriber(stack.deps.db, stack.clock, emailId, () => undefined);
    expect(r.changed).toBe(false);
    expect(await getSubscriber(stack.deps.db, emailId)).toBeUndefined();
  });
});

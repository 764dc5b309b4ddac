import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmTopics, requestTopics } from '../../functions/core/consent';
import { type NormalizedEmail, normalizeEmail } from '../../functions/core/email';
import { ConcurrentUpdateError } from '../../functions/core/errors';
import { isRedacted, type LedgerEvent, verifyLedger } from '../../functions/core/ledger';
import { unsubscribeUrl } from '../../functions/mail/list-unsubscribe';
import { readSubscriberRecords } from '../../functions/store/subscriber-records';
import { commitSubscriber, getSubscriber, listLedger, updateSubscriber } from '../../functions/store/subscribers';
import { createTestStack, type TestStack, uniqueEmail } from '../support/stack';

/**
 * A one-click unsubscribe of a `subscribed` topic is one conditional UpdateItem with no read
 * (store/one-click.ts); its event waits in the profile's `unsealed` list until the next change or
 * ledger read chains it. These tests hold that path to the same outcome as the read-decide-write
 * one: the state, the ledger and its order, against DynamoDB Local.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack();
});
afterAll(() => stack.dispose());

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const idOf = (addr: string) => stack.deps.emailIdOf((normalizeEmail(addr) as { email: NormalizedEmail }).email);
const oneClick = (addr: string, topic = 'newsletter') =>
  stack.app.request(new URL(unsubscribeUrl('http://x', stack.deps.tokens, { brand: 'livlog', emailId: idOf(addr), topic })).pathname, {
    method: 'POST',
    headers: FORM,
    body: 'List-Unsubscribe=One-Click',
  });

async function subscribed(addr: string, topics = ['newsletter', 'events']) {
  await updateSubscriber(stack.deps.db, stack.clock, idOf(addr), (s) => confirmTopics(s, 'livlog', topics, { at: stack.clock.now(), source: 'confirmation' }));
}

/** Counts the DynamoDB calls by command while `work` runs (SDK middleware on the real client). */
async function dynamoCalls(work: () => Promise<unknown>): Promise<string[]> {
  const calls: string[] = [];
  const name = `count-${Math.random()}`;
  stack.deps.db.client.middlewareStack.add(
    (next, context) => (args) => {
      calls.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    await work();
  } finally {
    stack.deps.db.client.middlewareStack.remove(name);
  }
  return calls;
}

describe('one-click fast path', () => {
  it('unsubscribes a subscribed topic with one UpdateItem and no read; the event is chained on the next ledger read', async () => {
    const addr = uniqueEmail('fast');
    await subscribed(addr);
    let status = 0;
    expect(await dynamoCalls(async () => (status = (await oneClick(addr)).status))).toEqual(['UpdateItemCommand']);
    expect(status).toBe(200);

    const stored = await getSubscriber(stack.deps.db, idOf(addr));
    expect(stored?.brands.livlog?.topics.newsletter?.state).toBe('unsubscribed');
    expect(stored?.brands.livlog?.topics.events?.state).toBe('subscribed');
    expect(stored?.unsealed).toHaveLength(1);

    const ledger = await listLedger(stack.deps.db, idOf(addr));
    const sealed = await getSubscriber(stack.deps.db, idOf(addr));
    expect(sealed?.unsealed).toBeUndefined();
    expect(sealed && verifyLedger(ledger, sealed.ledger)).toEqual({ ok: true });
    const last = ledger.at(-1) as LedgerEvent;
    expect(isRedacted(last)).toBe(false);
    expect(last).toMatchObject({
      type: 'unsubscribed',
      source: 'one-click',
      changes: [{ brand: 'livlog', topic: 'newsletter', from: 'subscribed', to: 'unsubscribed' }],
    });
  });

  it('answers a repeated one-click without a change: the fast path declines and the read finds nothing to do', async () => {
    const addr = uniqueEmail('again');
    await subscribed(addr);
    expect((await oneClick(addr)).status).toBe(200);
    const before = await listLedger(stack.deps.db, idOf(addr));
    const calls = await dynamoCalls(async () => expect((await oneClick(addr)).status).toBe(200));
    expect(calls).toEqual(['UpdateItemCommand', 'GetItemCommand']);
    expect(await listLedger(stack.deps.db, idOf(addr))).toEqual(before);
  });

  it('shows unsealed events to pure reads without writing: the preference JSON, and the records an export is made of', async () => {
    const addr = uniqueEmail('read');
    await subscribed(addr);
    expect((await oneClick(addr)).status).toBe(200);
    const token = unsubscribeUrl('', stack.deps.tokens, { brand: 'livlog', emailId: idOf(addr), topic: 'newsletter' }).slice('/u/'.length);

    let body: { topics: Record<string, string> } | undefined;
    const calls = await dynamoCalls(async () => {
      body = (await (await stack.app.request(`/v1/preferences/${token}`)).json()) as typeof body;
    });
    expect(calls).toEqual(['QueryCommand']);
    expect(body?.topics).toMatchObject({ newsletter: 'unsubscribed', events: 'subscribed' });
    expect((await getSubscriber(stack.deps.db, idOf(addr)))?.unsealed).toHaveLength(1);

    const records = await readSubscriberRecords(stack.deps.db, idOf(addr));
    expect(records.profile).not.toHaveProperty('unsealed');
    const head = records.profile?.ledger.seq ?? 0;
    expect(records.ledger.at(-1)).toMatchObject({ seq: head + 1, unsealed: true, type: 'unsubscribed', source: 'one-click' });
    // Chaining it later gives it exactly that place.
    const sealed = await listLedger(stack.deps.db, idOf(addr));
    expect(sealed.at(-1)).toMatchObject({ seq: head + 1, type: 'unsubscribed', source: 'one-click' });
  });

  it('declines a profile that has no such brand or topic yet (the condition fails, nothing is written) and the read path records it', async () => {
    const addr = uniqueEmail('other-brand');
    await updateSubscriber(stack.deps.db, stack.clock, idOf(addr), (s) =>
      confirmTopics(s, 'chroco', ['events'], { at: stack.clock.now(), source: 'confirmation' }),
    );
    const calls = await dynamoCalls(async () => expect((await oneClick(addr)).status).toBe(200));
    expect(calls).toEqual(['UpdateItemCommand', 'GetItemCommand', 'TransactWriteItemsCommand']);
    const s = await getSubscriber(stack.deps.db, idOf(addr));
    expect(s?.unsealed).toBeUndefined();
    expect(s?.brands.livlog?.topics.newsletter?.state).toBe('unsubscribed');
    expect(s?.brands.chroco?.topics.events?.state).toBe('subscribed');
  });

  it('leaves a pending topic to the read-decide-write path, which records its real previous state', async () => {
    const addr = uniqueEmail('pending');
    await updateSubscriber(stack.deps.db, stack.clock, idOf(addr), (s) => requestTopics(s, 'livlog', ['newsletter'], { at: stack.clock.now(), source: 'api' }));
    expect((await oneClick(addr)).status).toBe(200);
    const last = (await listLedger(stack.deps.db, idOf(addr))).at(-1) as LedgerEvent;
    expect(last.changes).toEqual([{ brand: 'livlog', topic: 'newsletter', from: 'pending', to: 'unsubscribed' }]);
  });

  it('refuses a change decided on a read made before a fast-path unsubscribe, and the retry chains both in order', async () => {
    const addr = uniqueEmail('stale');
    await subscribed(addr, ['newsletter']);
    const stale = await getSubscriber(stack.deps.db, idOf(addr));
    if (!stale) throw new Error('no record');
    expect((await oneClick(addr)).status).toBe(200);

    // Decided on the stale read, this would put `newsletter` back to subscribed and drop the event.
    const decide = (s: typeof stale) => requestTopics(s, 'livlog', ['events'], { at: stack.clock.now(), source: 'api' });
    const change = decide(stale);
    if (!change) throw new Error('expected a change');
    await expect(commitSubscriber(stack.deps.db, stale, change)).rejects.toBeInstanceOf(ConcurrentUpdateError);

    const { subscriber } = await updateSubscriber(stack.deps.db, stack.clock, idOf(addr), decide);
    expect(subscriber.brands.livlog?.topics.newsletter?.state).toBe('unsubscribed');
    expect(subscriber.brands.livlog?.topics.events?.state).toBe('pending');
    const ledger = await listLedger(stack.deps.db, idOf(addr));
    expect(verifyLedger(ledger, subscriber.ledger)).toEqual({ ok: true });
    expect(ledger.slice(-2).map((e) => (e as LedgerEvent).type)).toEqual(['unsubscribed', 'subscription-requested']);
  });
});

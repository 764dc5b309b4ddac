import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmTopics } from '../../functions/core/consent';
import { type NormalizedEmail, normalizeEmail } from '../../functions/core/email';
import { isRedacted, type StoredLedgerEvent, verifyLedger } from '../../functions/core/ledger';
import { unsubscribeUrl } from '../../functions/mail/list-unsubscribe';
import { getSubscriber, listLedger, updateSubscriber } from '../../functions/store/subscribers';
import { createTestStack, type TestStack, uniqueEmail } from '../support/stack';

/**
 * Races on one address: one-click unsubscribes, preference-page saves and JSON preference
 * changes, all at once through the app. No fault is injected: the race itself is the fault.
 * Every answer is a success or a 503 (the optimistic-locking retries ran out), never a 500, and
 * the stored state is exactly what the ledger says, transition after transition.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack();
});
afterAll(() => stack.dispose());

const TOPICS = ['newsletter', 'promotions', 'events', 'surveys'];
const FORM = 'application/x-www-form-urlencoded';
const CLIENT = { incoming: { socket: { remoteAddress: '198.51.100.30' } } };

const idOf = (addr: string) => stack.deps.emailIdOf((normalizeEmail(addr) as { email: NormalizedEmail }).email);
const tokenOf = (addr: string, topic: string) => unsubscribeUrl('', stack.deps.tokens, { brand: 'livlog', emailId: idOf(addr), topic }).slice('/u/'.length);

/** Confirms every topic of livlog for the address, as a confirmation would. */
async function confirmed(addr: string) {
  const norm = (normalizeEmail(addr) as { email: NormalizedEmail }).email;
  await updateSubscriber(stack.deps.db, stack.clock, idOf(addr), (s) => {
    const d = confirmTopics(s, 'livlog', TOPICS, { at: stack.clock.now(), source: 'confirmation' });
    return d && { ...d, next: { ...d.next, email: norm } };
  });
}

/** A deterministic mix of the three kinds of change, request `i` of a burst. */
async function request(addr: string, i: number): Promise<Response> {
  const topic = TOPICS[i % TOPICS.length] as string;
  const token = tokenOf(addr, topic);
  switch (i % 3) {
    case 0:
      return stack.app.request(`/u/${token}`, { method: 'POST', headers: { 'content-type': FORM }, body: 'List-Unsubscribe=One-Click' }, CLIENT);
    case 1: {
      // Keeps a varying subset of the topics (bits of i); the rest are unsubscribed.
      const kept = TOPICS.filter((_, b) => ((i >> 1) & (1 << b)) !== 0);
      const body = new URLSearchParams(kept.map((t): [string, string] => ['topics', t]));
      return stack.app.request(`/u/${token}/preferences`, { method: 'POST', headers: { 'content-type': FORM }, body: body.toString() }, CLIENT);
    }
    default: {
      const wanted = (i >> 2) % 2 === 0 ? 'subscribed' : 'unsubscribed';
      return stack.app.request(
        `/v1/preferences/${token}`,
        { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ topics: { [topic]: wanted } }) },
        CLIENT,
      );
    }
  }
}

const SUCCESS: Record<number, number> = { 0: 200, 1: 303, 2: 200 };

/** Per topic, the states the ledger walks through, in order. */
function topicHistory(ledger: readonly StoredLedgerEvent[]) {
  const history: Record<string, { from?: string; to: string }[]> = {};
  for (const e of ledger) {
    if (isRedacted(e)) continue;
    for (const c of e.changes) {
      if (!c.topic || c.brand !== 'livlog') continue;
      history[c.topic] = [...(history[c.topic] ?? []), { ...(c.from ? { from: c.from } : {}), to: c.to }];
    }
  }
  return history;
}

describe('concurrent one-click unsubscribes and preference saves on the same address', () => {
  it('answers each with a success or a 503 (never a 500), and the state is the replay of a verified ledger', { timeout: 60_000 }, async () => {
    const addr = uniqueEmail('race');
    await confirmed(addr);
    const before = (await listLedger(stack.deps.db, idOf(addr))).length;

    let successes = 0;
    const statuses: Record<number, number> = {};
    for (let round = 0; round < 2; round++) {
      const burst = Array.from({ length: 45 }, (_, k) => round * 45 + k);
      const answers = await Promise.all(burst.map((i) => request(addr, i).then(async (r) => ({ i, status: r.status, body: await r.text() }))));
      for (const a of answers) {
        statuses[a.status] = (statuses[a.status] ?? 0) + 1;
        expect([SUCCESS[a.i % 3], 503], `request ${a.i}: ${a.status} ${a.body.slice(0, 200)}`).toContain(a.status);
        expect(a.body).not.toMatch(/\bat .+\.ts:\d+/);
        if (a.status !== 503) successes++;
      }
    }
    console.log(`concurrent consent: answers by status ${JSON.stringify(statuses)}`);
    expect(successes).toBeGreaterThan(0);

    // The ledger first: reading it chains what one-click fast paths left unsealed, which moves the head.
    const ledger = await listLedger(stack.deps.db, idOf(addr));
    const s = await getSubscriber(stack.deps.db, idOf(addr));
    if (!s) throw new Error('no record');
    expect(verifyLedger(ledger, s.ledger)).toEqual({ ok: true });
    // A request that changed something wrote one event; a 503 or a no-op wrote none.
    expect(ledger.length - before).toBeGreaterThan(0);
    expect(ledger.length - before).toBeLessThanOrEqual(successes);

    // No lost update: each recorded transition starts where the previous one of its topic ended,
    // and the stored state of every topic is where the ledger's last change of it ended.
    const history = topicHistory(ledger);
    const state = Object.fromEntries(Object.entries(s.brands.livlog?.topics ?? {}).map(([t, v]) => [t, v.state]));
    expect(Object.keys(history).sort()).toEqual([...TOPICS].sort());
    for (const topic of TOPICS) {
      const steps = history[topic] ?? [];
      steps.forEach((step, n) => {
        if (n > 0) expect(step.from, `${topic} step ${n}`).toBe(steps[n - 1]?.to);
        expect(step.from, `${topic} step ${n} changes nothing`).not.toBe(step.to);
      });
      expect(state[topic], topic).toBe(steps.at(-1)?.to);
    }
  });

  it('leaves every topic unsubscribed when the racing requests all unsubscribe, whatever their kind', { timeout: 60_000 }, async () => {
    const addr = uniqueEmail('race-off');
    await confirmed(addr);
    const send = (i: number) => {
      const topic = TOPICS[i % TOPICS.length] as string;
      const token = tokenOf(addr, topic);
      if (i % 3 === 0)
        return stack.app.request(`/u/${token}`, { method: 'POST', headers: { 'content-type': FORM }, body: 'List-Unsubscribe=One-Click' }, CLIENT);
      if (i % 3 === 1) return stack.app.request(`/u/${token}/preferences`, { method: 'POST', headers: { 'content-type': FORM }, body: '' }, CLIENT);
      return stack.app.request(
        `/v1/preferences/${token}`,
        { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ topics: { [topic]: 'unsubscribed' } }) },
        CLIENT,
      );
    };
    const burst = Array.from({ length: 48 }, (_, i) => i);
    const answers = await Promise.all(burst.map(async (i) => ({ i, status: (await send(i)).status })));
    for (const a of answers) expect([SUCCESS[a.i % 3], 503]).toContain(a.status);
    // A 503 means the optimistic-locking retries ran out; the client tries again, and then it lands.
    for (const a of answers.filter((x) => x.status === 503)) expect((await send(a.i)).status).toBe(SUCCESS[a.i % 3]);
    // The ledger first: reading it chains what one-click fast paths left unsealed, which moves the head.
    const ledger = await listLedger(stack.deps.db, idOf(addr));
    const s = await getSubscriber(stack.deps.db, idOf(addr));
    if (!s) throw new Error('no record');
    expect(verifyLedger(ledger, s.ledger)).toEqual({ ok: true });
    const history = topicHistory(ledger);
    for (const topic of TOPICS) {
      // Each topic moved to unsubscribed exactly once, however many requests raced for it.
      expect(history[topic]?.filter((h) => h.to === 'unsubscribed')).toHaveLength(1);
      expect(s.brands.livlog?.topics[topic]?.state).toBe('unsubscribed');
    }
  });
});

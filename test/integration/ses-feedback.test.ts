import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmTopics, erase } from '../../functions/core/consent';
import { type NormalizedEmail, normalizeEmail } from '../../functions/core/email';
import { verifyLedger } from '../../functions/core/ledger';
import { suppressionReasons } from '../../functions/core/suppressions';
import { createDeps } from '../../functions/deps';
import { createDb } from '../../functions/store/client';
import { readFeedbackCounts } from '../../functions/store/feedback';
import { readSubscriberRecords } from '../../functions/store/subscriber-records';
import { getSubscriber, listLedger, updateSubscriber } from '../../functions/store/subscribers';
import { sesEventHandler } from '../../functions/use-cases/apply-ses-event';
import { computeFeedbackRates } from '../../functions/use-cases/compute-feedback-rates';
import { bounceEvent, complaintEvent, deliveryEvent, openEvent, rejectEvent } from '../support/ses-events';
import { createTestStack, TEST_ADMIN_TOKEN, type TestStack, uniqueEmail } from '../support/stack';

let stack: TestStack;
let handle: ReturnType<typeof sesEventHandler>;
beforeAll(async () => {
  stack = await createTestStack();
  handle = sesEventHandler(stack.deps);
});
afterAll(() => stack.dispose());

const DAY = 86_400_000;
const norm = (e: string) => (normalizeEmail(e) as { email: NormalizedEmail }).email;
const idOf = (e: string) => stack.deps.emailIdOf(norm(e));
const record = (e: string) => getSubscriber(stack.deps.db, idOf(e));
const reasons = async (e: string, brand?: string) => suppressionReasons(await record(e), brand);
const now = () => stack.clock.now();

async function subscribe(email: string, brand: string, topics: string[]) {
  await updateSubscriber(stack.deps.db, stack.clock, idOf(email), (s) => {
    const d = confirmTopics(s, brand, topics, { at: now(), source: 'confirmation' });
    return d && { ...d, next: { ...d.next, email: norm(email) } };
  });
}

describe('SES feedback through the Lambda handler (EventBridge event shape)', () => {
  it('suppresses an address for every brand on a permanent bounce, with the message and the ledger event', async () => {
    const to = uniqueEmail('hard');
    const event = bounceEvent({ to, at: now(), bounceType: 'Permanent', brand: 'livlog', topic: 'newsletter', campaign: 'c-1' });
    const result = await handle(event);
    expect(result).toMatchObject({ status: 'applied', kind: 'bounce', suppressed: 1 });

    const s = await record(to);
    expect(s?.suppressions['*']).toMatchObject({ reason: 'bounce', source: 'ses-feedback', messageId: event.detail.mail.messageId });
    expect(s?.email).toBe(to);
    expect(await reasons(to, 'livlog')).toEqual(['bounce']);
    expect(await reasons(to, 'chroco')).toEqual(['bounce']);

    const ledger = await listLedger(stack.deps.db, idOf(to));
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ type: 'suppressed', source: 'ses-feedback', by: 'ses', ref: event.detail.mail.messageId, changes: [{ to: 'bounce' }] });
    expect(s && verifyLedger(ledger, s.ledger).ok).toBe(true);
    const records = await readSubscriberRecords(stack.deps.db, idOf(to));
    expect(records.suppressions).toEqual([expect.objectContaining({ scope: '*', reason: 'bounce' })]);
  });

  it('applies the same event delivered twice only once (ledger, counters)', async () => {
    const to = uniqueEmail('twice');
    const at = new Date('2026-11-20T10:00:00Z');
    const event = bounceEvent({ to, at, bounceType: 'Permanent', brand: 'cotogoto' });
    const before = await readFeedbackCounts(stack.deps.db, 'cotogoto', '2026-11-20');
    expect(await handle(event)).toMatchObject({ status: 'applied' });
    expect(await handle(structuredClone(event))).toEqual({ eventId: event.id, status: 'duplicate' });
    expect(await listLedger(stack.deps.db, idOf(to))).toHaveLength(1);
    const after = await readFeedbackCounts(stack.deps.db, 'cotogoto', '2026-11-20');
    expect(after.bounced - before.bounced).toBe(1);
  });

  it('suppresses after the third transient bounce within 14 days, not before', async () => {
    const to = uniqueEmail('soft');
    for (const n of [1, 2]) {
      expect(await handle(bounceEvent({ to, at: new Date(now().getTime() + n * DAY), bounceType: 'Transient', brand: 'livlog' }))).toMatchObject({
        suppressed: 0,
      });
      expect(await reasons(to)).toEqual([]);
    }
    // The same transient bounce delivered again does not count twice.
    const third = bounceEvent({ to, at: new Date(now().getTime() + 3 * DAY), bounceType: 'Transient', brand: 'livlog' });
    const { id, ...rest } = third;
    await handle(third);
    expect(await handle({ ...rest, id })).toMatchObject({ status: 'duplicate' });
    expect(await reasons(to)).toEqual(['bounce']);
    const s = await record(to);
    expect(s?.suppressions['*']?.note).toBe('3 transient bounces within 14 days');
  });

  it('starts a new window when the first transient bounce is more than 14 days old', async () => {
    const to = uniqueEmail('window');
    const t0 = now().getTime();
    await handle(bounceEvent({ to, at: new Date(t0), bounceType: 'Transient' }));
    await handle(bounceEvent({ to, at: new Date(t0 + 5 * DAY), bounceType: 'Undetermined' }));
    await handle(bounceEvent({ to, at: new Date(t0 + 15 * DAY), bounceType: 'Transient' }));
    expect(await reasons(to)).toEqual([]);
    await handle(bounceEvent({ to, at: new Date(t0 + 16 * DAY), bounceType: 'Transient' }));
    expect(await reasons(to)).toEqual([]);
    await handle(bounceEvent({ to, at: new Date(t0 + 17 * DAY), bounceType: 'Transient' }));
    expect(await reasons(to)).toEqual(['bounce']);
  });

  it('resets the transient counter on a delivery', async () => {
    const to = uniqueEmail('reset');
    const t0 = now().getTime();
    await handle(bounceEvent({ to, at: new Date(t0), bounceType: 'Transient', brand: 'livlog' }));
    await handle(bounceEvent({ to, at: new Date(t0 + 1000), bounceType: 'Transient', brand: 'livlog' }));
    expect(await handle(deliveryEvent({ to, at: new Date(t0 + 2000), brand: 'livlog' }))).toMatchObject({ status: 'applied', kind: 'delivery' });
    await handle(bounceEvent({ to, at: new Date(t0 + 3000), bounceType: 'Transient', brand: 'livlog' }));
    await handle(bounceEvent({ to, at: new Date(t0 + 4000), bounceType: 'Transient', brand: 'livlog' }));
    expect(await reasons(to)).toEqual([]);
    await handle(bounceEvent({ to, at: new Date(t0 + 5000), bounceType: 'Transient', brand: 'livlog' }));
    expect(await reasons(to)).toEqual(['bounce']);
  });

  it('writes no transient-bounce delete for a delivery to an address without a counter (one write unit less per mail)', async () => {
    const calls: string[] = [];
    const name = `calls-${Math.random()}`;
    stack.deps.db.client.middlewareStack.add(
      (next, context) => async (args) => {
        calls.push(context.commandName ?? '');
        return next(args);
      },
      { step: 'initialize', name },
    );
    try {
      const to = uniqueEmail('clean');
      expect(await handle(deliveryEvent({ to, at: now(), brand: 'livlog' }))).toMatchObject({ status: 'applied', kind: 'delivery' });
    } finally {
      stack.deps.db.client.middlewareStack.remove(name);
    }
    expect(calls.filter((c) => c.startsWith('Delete'))).toEqual([]);
    expect(calls.filter((c) => c.startsWith('TransactWrite'))).toHaveLength(1);
  });

  it('on a complaint suppresses every brand and unsubscribes every topic of the brand in the tags, and no other brand', async () => {
    const to = uniqueEmail('complaint');
    await subscribe(to, 'livlog', ['newsletter', 'events']);
    await subscribe(to, 'chroco', ['newsletter']);
    const event = complaintEvent({ to, at: now(), brand: 'livlog', topic: 'newsletter', campaign: 'c-7' });
    expect(await handle(event)).toMatchObject({ status: 'applied', kind: 'complaint', suppressed: 1 });

    const s = await record(to);
    expect(s?.suppressions['*']).toMatchObject({ reason: 'complaint', messageId: event.detail.mail.messageId, note: 'complaint (abuse)' });
    expect(Object.fromEntries(Object.entries(s?.brands.livlog?.topics ?? {}).map(([t, v]) => [t, v.state]))).toEqual({
      newsletter: 'unsubscribed',
      events: 'unsubscribed',
      promotions: 'unsubscribed',
      surveys: 'unsubscribed',
    });
    expect(s?.brands.chroco?.topics.newsletter?.state).toBe('subscribed');
    expect(await reasons(to, 'chroco')).toEqual(['complaint']);
    const ledger = await listLedger(stack.deps.db, idOf(to));
    expect(ledger.map((e) => ('type' in e ? e.type : 'redacted')).slice(-2)).toEqual(['suppressed', 'unsubscribed-by-complaint']);
  });

  it('a complaint wins over an earlier bounce; a later bounce does not weaken it', async () => {
    const to = uniqueEmail('strength');
    await handle(bounceEvent({ to, at: now(), bounceType: 'Permanent' }));
    await handle(complaintEvent({ to, at: now() }));
    expect(await reasons(to)).toEqual(['complaint']);
    expect(await handle(bounceEvent({ to, at: now(), bounceType: 'Permanent' }))).toMatchObject({ status: 'applied', suppressed: 0 });
    expect(await reasons(to)).toEqual(['complaint']);
  });

  it('counts a reject without suppressing', async () => {
    const to = uniqueEmail('reject');
    const at = new Date('2026-11-21T08:00:00Z');
    const before = await readFeedbackCounts(stack.deps.db, 'chroco', '2026-11-21');
    expect(await handle(rejectEvent({ to, at, brand: 'chroco' }))).toMatchObject({ status: 'applied', kind: 'reject', suppressed: 0 });
    expect(await record(to)).toBeUndefined();
    expect((await readFeedbackCounts(stack.deps.db, 'chroco', '2026-11-21')).rejected - before.rejected).toBe(1);
  });

  it('leaves an erased tombstone as it is on a complaint', async () => {
    const to = uniqueEmail('erased');
    await subscribe(to, 'livlog', ['newsletter']);
    await updateSubscriber(stack.deps.db, stack.clock, idOf(to), (s) => erase(s, { at: now(), source: 'inquiry' }));
    const before = await record(to);
    expect(await handle(complaintEvent({ to, at: now(), brand: 'livlog' }))).toMatchObject({ status: 'applied', suppressed: 0 });
    expect(await record(to)).toEqual(before);
    expect(await reasons(to)).toEqual(['erasure']);
  });

  it('ignores other detail-types cleanly and drops malformed events without writing', async () => {
    const to = uniqueEmail('other');
    expect(await handle(openEvent({ to, at: now() }))).toMatchObject({ status: 'ignored', detailType: 'Email Opened' });
    const broken = bounceEvent({ to, at: now(), bounceType: 'Permanent' });
    (broken.detail as { bounce: { bouncedRecipients: unknown } }).bounce.bouncedRecipients = 'nobody';
    expect(await handle(broken)).toEqual({ status: 'invalid' });
    expect(await handle({ hello: 'world' })).toEqual({ status: 'invalid' });
    expect(await handle(null)).toEqual({ status: 'invalid' });
    expect(await record(to)).toBeUndefined();
  });

  it('skips a recipient address with control characters and applies the others of the event', async () => {
    const ok = uniqueEmail('ok');
    const event = bounceEvent({ to: ok, at: now(), bounceType: 'Permanent' });
    event.detail.bounce.bouncedRecipients.push({ ...event.detail.bounce.bouncedRecipients[0], emailAddress: 'evil\u0000@example.com' } as never);
    expect(await handle(event)).toMatchObject({ status: 'applied', suppressed: 1, invalidRecipients: 1 });
    expect(await reasons(ok)).toEqual(['bounce']);
  });

  it('injects a fault: the dedupe marker write fails after the suppression; redelivery completes it, counting once', async () => {
    const deps = createDeps(stack.deps.config, {
      clock: stack.clock,
      logger: stack.deps.logger,
      db: createDb({
        tableName: stack.deps.config.tableName,
        region: 'ap-northeast-1',
        endpoint: stack.deps.config.dynamodbEndpoint as string,
        clientConfig: { maxAttempts: 1 },
      }),
    });
    let failNext = true;
    deps.db.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand' && failNext && JSON.stringify(args.input).includes('SESEVT#')) {
          failNext = false;
          throw Object.assign(new Error('injected: service unavailable'), { name: 'ServiceUnavailable', $fault: 'server' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'failMarkerOnce' },
    );
    const crashy = sesEventHandler(deps);
    const to = uniqueEmail('crash');
    const at = new Date('2026-11-22T12:00:00Z');
    const event = complaintEvent({ to, at, brand: 'livlog' });
    await expect(crashy(event)).rejects.toThrow(/injected/);
    // The suppression was written before the marker: nothing is lost while EventBridge retries.
    expect(await reasons(to)).toEqual(['complaint']);
    expect((await readFeedbackCounts(stack.deps.db, 'livlog', '2026-11-22')).complained).toBe(0);
    expect(await crashy(event)).toMatchObject({ status: 'applied', suppressed: 0 });
    expect(await crashy(event)).toMatchObject({ status: 'duplicate' });
    expect((await readFeedbackCounts(stack.deps.db, 'livlog', '2026-11-22')).complained).toBe(1);
    expect(await listLedger(stack.deps.db, idOf(to))).toHaveLength(2);
  });
});

describe('POST /local/ses-events', () => {
  const post = (body: unknown, token: string | null = TEST_ADMIN_TOKEN) =>
    stack.app.request('/local/ses-events', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  it('applies an array of events in order with the same code as the handler', async () => {
    const to = uniqueEmail('local');
    const t0 = now().getTime();
    const events = [
      deliveryEvent({ to, at: new Date(t0), brand: 'livlog' }),
      bounceEvent({ to, at: new Date(t0 + 1), bounceType: 'Transient', brand: 'livlog' }),
      bounceEvent({ to, at: new Date(t0 + 2), bounceType: 'Transient', brand: 'livlog' }),
      openEvent({ to, at: new Date(t0 + 3) }),
      bounceEvent({ to, at: new Date(t0 + 4), bounceType: 'Transient', brand: 'livlog' }),
    ];
    const res = await post(events);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: { status: string; suppressed?: number }[] };
    expect(body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'ignored', 'applied']);
    expect(body.results[4]?.suppressed).toBe(1);
    expect(await reasons(to)).toEqual(['bounce']);

    const shown = await stack.app.request(`/admin/subscribers/${encodeURIComponent(to)}`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    const records = (await shown.json()) as { profile: { suppressions: Record<string, { reason: string }> }; other: { sk: string; events?: string[] }[] };
    expect(records.profile.suppressions['*']?.reason).toBe('bounce');
    expect(records.other).toEqual([
      expect.objectContaining({ sk: 'SOFTBOUNCE', events: expect.arrayContaining([events[1]?.id, events[2]?.id, events[4]?.id]) }),
    ]);

    const again = (await (await post(events[1])).json()) as { results: { status: string }[] };
    expect(again.results).toEqual([{ eventId: events[1]?.id, status: 'duplicate' }]);
  });

  it('accepts a single complaint event', async () => {
    const to = uniqueEmail('local-complaint');
    const res = await post(complaintEvent({ to, at: now(), brand: 'cotogoto' }));
    expect(res.status).toBe(200);
    expect(await reasons(to)).toEqual(['complaint']);
  });

  it('refuses a batch with a malformed event with 400 naming the field, applying none', async () => {
    const to = uniqueEmail('local-bad');
    const good = bounceEvent({ to, at: now(), bounceType: 'Permanent' });
    const bad = bounceEvent({ to, at: now(), bounceType: 'Permanent' });
    (bad.detail.bounce as { bounceType: string }).bounceType = 'Sideways';
    const res = await post([good, bad]);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe('invalid-request');
    expect(body.error.details.map((d) => d.path)).toEqual(['[1].detail.bounce.bounceType']);
    expect(await record(to)).toBeUndefined();
  });

  it('answers 401 without the admin token and 415 for a body that is not JSON', async () => {
    expect((await post(openEvent({ to: uniqueEmail(), at: now() }), null)).status).toBe(401);
    expect((await post(openEvent({ to: uniqueEmail(), at: now() }), 'wrong-token-wrong-token')).status).toBe(401);
    const res = await stack.app.request('/local/ses-events', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      body: 'x',
    });
    expect(res.status).toBe(415);
  });
});

describe('daily feedback rates', () => {
  it('computes per-brand bounce and complaint rates from the counters and emits them as EMF lines', async () => {
    const day = '2026-10-05';
    const at = (h: number) => new Date(`${day}T${String(h).padStart(2, '0')}:00:00Z`);
    for (let i = 0; i < 8; i++) await handle(deliveryEvent({ to: uniqueEmail('d'), at: at(1), brand: 'livlog-xyz' }));
    await handle(bounceEvent({ to: uniqueEmail('b'), at: at(2), bounceType: 'Permanent', brand: 'livlog-xyz' }));
    await handle(bounceEvent({ to: uniqueEmail('s'), at: at(3), bounceType: 'Transient', brand: 'livlog-xyz' }));
    await handle(complaintEvent({ to: uniqueEmail('c'), at: at(4), brand: 'livlog-xyz' }));

    stack.clock.set('2026-10-06T00:15:00Z');
    const lines: string[] = [];
    const rates = await computeFeedbackRates(stack.deps, { emit: (l) => lines.push(l) });
    const xyz = rates.find((r) => r.brand === 'livlog-xyz');
    expect(xyz).toMatchObject({ day, delivered: 8, bounced: 1, softBounced: 1, complained: 1, outcomes: 10, bounceRate: 10, complaintRate: 12.5 });
    expect(rates.find((r) => r.brand === 'chroco')).toMatchObject({ delivered: 0, bounceRate: 0, complaintRate: 0 });

    expect(lines).toHaveLength(stack.deps.config.brands.list.length);
    const emf = lines.map((l) => JSON.parse(l)).find((l) => l.Brand === 'livlog-xyz');
    expect(emf._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'PrivacyBackend', Dimensions: [['Brand']] });
    expect(emf._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name)).toEqual(expect.arrayContaining(['BounceRate', 'ComplaintRate']));
    expect(emf).toMatchObject({ BounceRate: 10, ComplaintRate: 12.5 });
    stack.clock.set('2026-11-29T09:00:00.000Z');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscriber } from '../../functions/core/subscriber';
import { createRateLimiter, type RateLimiter } from '../../functions/queue/rate-limiter';
import { addRecipients, claimRecipient, defineCampaign, readCampaignCounts, readRecipients } from '../../functions/store/campaigns';
import { updateSubscriber } from '../../functions/store/subscribers';
import { resolveScope } from '../../functions/use-cases/decide-recipients';
import { deliverBatch } from '../../functions/use-cases/deliver-batch';
import { runCampaign } from '../../functions/use-cases/run-campaign';
import { CAMPAIGN_AT, campaignFixtures, MARKETING } from '../support/campaigns';
import { mailsTo } from '../support/inbox';
import { createTestStack, emailIdFor, type TestStack, uniqueEmail } from '../support/stack';

/**
 * CONTRACT.md "Sending": a campaign's pace is set by the mails it sends. Skipped recipients take
 * no share of the send rate, and the decision a mail is sent on is made after the wait for the
 * rate, so an unsubscribe that lands during the wait counts. Time here is the limiter's own
 * (a fake monotonic clock that `sleep` advances), never the wall clock.
 */
const RATE = 5;
let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack({ config: { CAMPAIGN_SEND_RATE: String(RATE) } });
});
afterAll(() => stack.dispose());

const at = CAMPAIGN_AT;
const marketing = MARKETING;
const { consenting, campaignOf } = campaignFixtures(() => stack);

async function unsubscribe(addr: string) {
  await updateSubscriber(stack.deps.db, stack.clock, emailIdFor(stack, addr), (sub) => {
    const next: Subscriber = structuredClone(sub);
    (next.brands.livlog?.topics.newsletter ?? { state: '' }).state = 'unsubscribed';
    return { next, events: [] };
  });
}

/** The real token bucket on a clock of its own: `sleep` moves the clock instead of waiting. */
function fakeClockLimiter(rate: number) {
  let now = 0;
  let taken = 0;
  const inner = createRateLimiter(rate, {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  });
  const limiter: RateLimiter = {
    take: async (n) => {
      taken += n;
      await inner.take(n);
    },
  };
  return { limiter, elapsedMs: () => now, taken: () => taken };
}

/** A campaign stored with these recipients, all pending (as the recipients route leaves them). */

describe('campaign pace', () => {
  it('charges the send rate only for mails sent: 100 recipients, 10 eligible, at 5 a second, take 10 tokens and about 10/5 s', async () => {
    const eligible = Array.from({ length: 10 }, () => uniqueEmail('pace'));
    await Promise.all(eligible.map(consenting));
    // Every tenth recipient is eligible; the rest were never confirmed (skipped `no-consent`).
    const recipients = Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? (eligible[i / 10] as string) : uniqueEmail('pace-skip')));
    await campaignOf('pace-100', recipients, 'Pace');

    const clock = fakeClockLimiter(RATE);
    await runCampaign(stack.deps, { campaignId: 'pace-100' }, { limiter: clock.limiter });

    const counts = await readCampaignCounts(stack.deps.db, 'pace-100');
    expect(counts?.counts).toEqual({ accepted: 100, pending: 0, sent: 10, skipped: 90, failed: 0 });
    expect(clock.taken()).toBe(10);
    // The bucket starts full (one second's worth), so 10 mails at 5/s need one more second.
    expect(clock.elapsedMs()).toBeLessThanOrEqual((10 / RATE) * 1000);
    for (const e of eligible) expect(await mailsTo(e), e).toHaveLength(1);
  });

  it('fault: an unsubscribe injected while a batch waits for the rate is honoured (the mail is decided after the wait)', async () => {
    const to = Array.from({ length: 4 }, () => uniqueEmail('wait'));
    await Promise.all(to.map(consenting));
    const target = to[2] as string;
    await campaignOf('pace-wait', to, 'Pace');

    // Fault injector: the person unsubscribes from inside the first wait for the rate, i.e. after
    // the batch was read and claimed, before any of it is sent.
    let injected = 0;
    const unsubscribeDuringTheWait: RateLimiter = {
      take: async () => {
        if (injected++ === 0) await unsubscribe(target);
      },
    };
    await runCampaign(stack.deps, { campaignId: 'pace-wait' }, { limiter: unsubscribeDuringTheWait });

    expect(injected).toBeGreaterThan(0);
    const counts = await readCampaignCounts(stack.deps.db, 'pace-wait');
    expect(counts?.counts).toEqual({ accepted: 4, pending: 0, sent: 3, skipped: 1, failed: 0 });
    expect(counts?.skippedBy).toEqual({ 'unsubscribed-topic': 1 });
    expect(await mailsTo(target)).toHaveLength(0);
    for (const e of to.filter((x) => x !== target)) expect(await mailsTo(e), e).toHaveLength(1);
  });

  it('settles a batch of skipped in one go, and leaves one that another worker claimed meanwhile to that worker', async () => {
    const [free, taken] = [uniqueEmail('skip-free'), uniqueEmail('skip-taken')] as [string, string];
    await campaignOf('pace-race', [free, taken], 'Pace');
    // Another worker claimed one of them after this batch was read: the group's transaction fails
    // its condition, and the recipients are settled one by one.
    await claimRecipient(stack.deps.db, 'pace-race', emailIdFor(stack, taken), { claimId: 'other-worker', at: stack.clock.now().toISOString() });
    const { brand, scope } = resolveScope(stack.deps, marketing);
    const results = await deliverBatch(
      stack.deps,
      { campaignId: 'pace-race', brand, scope, mail: { content: { subject: 'Pace', text: 'Hi' } }, counters: true },
      [free, taken].map((email) => ({ emailId: emailIdFor(stack, email), email, data: {} })),
      { limiter: fakeClockLimiter(RATE).limiter },
    );
    expect(results.get(emailIdFor(stack, free))).toEqual({ status: 'skipped', reason: 'no-consent' });
    expect(results.get(emailIdFor(stack, taken))).toEqual({ status: 'failed', reason: 'in-progress' });
    const records = await readRecipients(
      stack.deps.db,
      'pace-race',
      [free, taken].map((e) => emailIdFor(stack, e)),
    );
    expect(records.get(emailIdFor(stack, taken))).toMatchObject({ status: 'claimed', claimId: 'other-worker' });
    expect((await readCampaignCounts(stack.deps.db, 'pace-race'))?.counts).toEqual({ accepted: 2, pending: 1, sent: 0, skipped: 1, failed: 0 });
  });
});

describe('claims held while waiting for the rate', () => {
  it('fault injection: a limiter that reads the store at each wait finds no recipient claimed (each chunk is claimed after its wait)', async () => {
    const to = Array.from({ length: 3 * RATE }, () => uniqueEmail('claim-late'));
    await Promise.all(to.map(consenting));
    await campaignOf('pace-claims', to, 'Pace');
    const ids = to.map((e) => emailIdFor(stack, e));

    // Fault injector: at every wait for the rate, the store is read as a dying worker would leave it.
    const seen: { claimed: number; sent: number }[] = [];
    const observing: RateLimiter = {
      take: async () => {
        const records = [...(await readRecipients(stack.deps.db, 'pace-claims', ids)).values()];
        seen.push({ claimed: records.filter((r) => r.status === 'claimed').length, sent: records.filter((r) => r.status === 'sent').length });
      },
    };
    await runCampaign(stack.deps, { campaignId: 'pace-claims' }, { limiter: observing });

    // Three chunks of RATE, three waits; before each, only the chunks already sent have left `pending`.
    expect(seen).toEqual([
      { claimed: 0, sent: 0 },
      { claimed: 0, sent: RATE },
      { claimed: 0, sent: 2 * RATE },
    ]);
    expect((await readCampaignCounts(stack.deps.db, 'pace-claims'))?.counts).toEqual({ accepted: 3 * RATE, pending: 0, sent: 3 * RATE, skipped: 0, failed: 0 });
  });
});

describe('a campaign whose stored scope no longer resolves', () => {
  it('settles its pending recipients failed (scope-invalid) instead of throwing on every receive: a purposeless transactional one, a removed topic', async () => {
    const cases = [
      { id: 'scope-no-purpose', def: { brand: 'livlog', category: 'transactional' as const } },
      { id: 'scope-gone-topic', def: { brand: 'livlog', topic: 'a-topic-since-removed', category: 'marketing' as const } },
    ];
    for (const { id, def } of cases) {
      const to = [uniqueEmail('scope'), uniqueEmail('scope')];
      await Promise.all(to.map(consenting));
      await defineCampaign(stack.deps.db, { campaignId: id, ...def, mail: { content: { subject: 'Old', text: 'Hi' } } }, at);
      await addRecipients(stack.deps.db, id, { recipients: to.map((email) => ({ emailId: emailIdFor(stack, email), email })), invalidIds: [] }, at);

      await runCampaign(stack.deps, { campaignId: id }, { limiter: fakeClockLimiter(RATE).limiter });

      expect((await readCampaignCounts(stack.deps.db, id))?.counts, id).toEqual({ accepted: 2, pending: 0, sent: 0, skipped: 0, failed: 2 });
      const records = await readRecipients(
        stack.deps.db,
        id,
        to.map((e) => emailIdFor(stack, e)),
      );
      for (const r of records.values()) expect(r, id).toMatchObject({ status: 'failed', reason: 'scope-invalid' });
      for (const e of to) expect(await mailsTo(e), e).toHaveLength(0);
    }
  });
});

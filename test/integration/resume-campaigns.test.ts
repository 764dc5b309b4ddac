import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type NormalizedEmail, normalizeEmail } from '../../functions/core/email';
import type { Subscriber } from '../../functions/core/subscriber';
import type { CampaignQueue } from '../../functions/queue/campaign-queue';
import { claimRecipient, readCampaignCounts, readRecipients } from '../../functions/store/campaigns';
import { updateSubscriber } from '../../functions/store/subscribers';
import { CLAIM_TIMEOUT_MS } from '../../functions/use-cases/deliver-batch';
import { resumeUnfinishedCampaigns } from '../../functions/use-cases/resume-campaigns';
import { inProcessCampaignQueue } from '../../functions/wiring';
import type { InboxMail } from '../support/inbox';
import { createTestStack, TEST_ADMIN_TOKEN, type TestStack, uniqueEmail } from '../support/stack';

/**
 * The local stack's in-process queue dies with its process, and the campaign work in it with it.
 * A stopped process is simulated by a queue that drops what it is given (the fault a real part
 * cannot be made to produce on cue); the next start hands unfinished campaigns to a real queue.
 */
let stack: TestStack;
const dropped: string[] = [];
const deadQueue: CampaignQueue = {
  enqueue: async (work) => {
    dropped.push(...work.map((w) => w.campaignId));
  },
};
beforeAll(async () => {
  stack = await createTestStack({ config: { CAMPAIGN_SEND_RATE: '1000' } });
  stack.deps.campaignQueue = deadQueue;
});
afterAll(() => stack.dispose());

const idOf = (addr: string) => stack.deps.emailIdOf((normalizeEmail(addr) as { email: NormalizedEmail }).email);
const at = '2026-11-29T08:00:00.000Z';

async function subscribed(addr: string) {
  await updateSubscriber(stack.deps.db, stack.clock, idOf(addr), (sub) => {
    const next: Subscriber = structuredClone(sub);
    next.email = addr;
    next.brands.livlog = { topics: { newsletter: { state: 'subscribed', at } } };
    return { next, events: [] };
  });
}

async function mailsTo(addrs: string[]): Promise<number[]> {
  const { emails } = (await (await fetch(`${inject('sesEndpoint')}/store`)).json()) as { emails: InboxMail[] };
  return addrs.map((a) => emails.filter((m) => m.destination.to.map((t) => t.toLowerCase()).includes(a)).length);
}

describe('resuming campaigns a stopped local stack left unfinished', () => {
  it('sends every pending recipient once, and settles a claim the stopped process held as interrupted, unsent', async () => {
    const audience = Array.from({ length: 12 }, () => uniqueEmail('resume'));
    await Promise.all(audience.map(subscribed));
    const res = await stack.app.request('/v1/campaigns/camp-resume/recipients', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      body: JSON.stringify({
        campaignId: 'camp-resume',
        brand: 'livlog',
        topic: 'newsletter',
        category: 'marketing',
        content: { subject: 'Resumed', text: 'Hello {{unsubscribeUrl}}' },
        recipients: audience.map((email) => ({ email })),
      }),
    });
    expect(res.status).toBe(202);
    expect(dropped).toContain('camp-resume');
    // The stopped process had claimed one recipient, long enough ago for the claim to count as abandoned.
    const held = audience[0] as string;
    const stale = new Date(stack.clock.now().getTime() - CLAIM_TIMEOUT_MS - 1000).toISOString();
    expect((await claimRecipient(stack.deps.db, 'camp-resume', idOf(held), { claimId: 'dead-process', at: stale })).claimed).toBe(true);
    expect(await mailsTo(audience)).toEqual(audience.map(() => 0));

    const queue = inProcessCampaignQueue(stack.deps);
    expect(await resumeUnfinishedCampaigns(stack.deps, queue)).toContain('camp-resume');
    await queue.idle();

    const progress = await readCampaignCounts(stack.deps.db, 'camp-resume');
    expect(progress?.counts).toMatchObject({ accepted: 12, pending: 0, sent: 11, failed: 1 });
    expect((await readRecipients(stack.deps.db, 'camp-resume', [idOf(held)])).get(idOf(held))).toMatchObject({ status: 'failed', reason: 'interrupted' });
    expect(await mailsTo(audience)).toEqual(audience.map((a) => (a === held ? 0 : 1)));
    // Nothing is left to resume.
    expect(await resumeUnfinishedCampaigns(stack.deps, queue)).not.toContain('camp-resume');
  });

  it('leaves claims made by POST /v1/sends (no campaign record) to that route', async () => {
    const addr = uniqueEmail('sends-claim');
    expect((await claimRecipient(stack.deps.db, 'sends-only', idOf(addr), { claimId: 'dead-process', at })).claimed).toBe(true);
    expect(await resumeUnfinishedCampaigns(stack.deps, inProcessCampaignQueue(stack.deps))).not.toContain('sends-only');
  });
});

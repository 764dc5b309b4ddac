import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../functions/queue/rate-limiter';
import { recordClaim } from '../../functions/store/campaign-claims';
import { claimRecipient, findUnfinishedCampaigns, readCampaignCounts, readRecipients, releaseClaim, settleRecipient } from '../../functions/store/campaigns';
import { findCampaignsHolding } from '../../functions/store/erasure-recipients';
import { keys } from '../../functions/store/keys';
import { runCampaign } from '../../functions/use-cases/run-campaign';
import { CAMPAIGN_AT, campaignFixtures, MARKETING } from '../support/campaigns';
import { mailsTo } from '../support/inbox';
import { createTestStack, emailIdFor, type TestStack, uniqueEmail } from '../support/stack';

/**
 * A pending recipient is found without an index entry of its own (the index entry doubled the
 * intake's write units): the worker pages the campaign's recipients, the erasure reads the
 * address's recipient in every campaign, the local stack's resume reads the campaigns' counts.
 * Only a claim is indexed, so that an abandoned one is found without reading the campaign.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack({ config: { CAMPAIGN_SEND_RATE: '1000' } });
});
afterAll(() => stack.dispose());

const at = CAMPAIGN_AT;
const _marketing = MARKETING;
const { consenting, campaignOf } = campaignFixtures(() => stack);

const rawItem = async (campaignId: string, addr: string) =>
  (
    await stack.deps.db.doc.send(
      new GetCommand({ TableName: stack.deps.db.tableName, Key: keys.campaignRecipient(campaignId, emailIdFor(stack, addr)), ConsistentRead: true }),
    )
  ).Item ?? {};

describe('pending recipients without an index entry', () => {
  it('stores an accepted recipient with no index entry; a claim indexes it, and giving the claim back removes the entry again', async () => {
    const [a, b] = [uniqueEmail('pend-index'), uniqueEmail('pend-index')] as [string, string];
    await campaignOf('pend-index', [a, b], 'Pending');
    expect(await rawItem('pend-index', a)).toMatchObject({ status: 'pending', email: a });
    expect(await rawItem('pend-index', a)).not.toHaveProperty('gsi1pk');

    expect((await claimRecipient(stack.deps.db, 'pend-index', emailIdFor(stack, b), { claimId: 'w', at })).claimed).toBe(true);
    expect(await rawItem('pend-index', b)).toMatchObject({ status: 'claimed', gsi1pk: 'CAMP#pend-index#claimed' });
    await releaseClaim(stack.deps.db, 'pend-index', emailIdFor(stack, b), 'w');
    const released = await rawItem('pend-index', b);
    expect(released).toMatchObject({ status: 'pending', email: b });
    expect(released).not.toHaveProperty('gsi1pk');
  });

  it('a run of the whole campaign reaches the pending recipients behind many settled ones, and sends each once', async () => {
    const settledFirst = Array.from({ length: 70 }, () => uniqueEmail('pend-page'));
    const waiting = Array.from({ length: 30 }, () => uniqueEmail('pend-page'));
    await Promise.all(waiting.map(consenting));
    await campaignOf('pend-page', [...settledFirst, ...waiting], 'Pending');
    for (const s of settledFirst) expect(await settleRecipient(stack.deps.db, 'pend-page', emailIdFor(stack, s), 'erased', at)).toBe(true);

    await runCampaign(stack.deps, { campaignId: 'pend-page' }, { limiter: createRateLimiter(1000) });

    expect((await readCampaignCounts(stack.deps.db, 'pend-page'))?.counts).toEqual({ accepted: 100, pending: 0, sent: 30, skipped: 70, failed: 0 });
    const records = await readRecipients(
      stack.deps.db,
      'pend-page',
      waiting.map((w) => emailIdFor(stack, w)),
    );
    expect([...records.values()].map((r) => r.status)).toEqual(waiting.map(() => 'sent'));
    for (const w of waiting.slice(0, 3)) expect(await mailsTo(w)).toHaveLength(1);
  });

  it('finds the campaigns holding an address pending (for an erasure) and the campaigns with pending recipients (for a resume)', async () => {
    const person = uniqueEmail('pend-find');
    await campaignOf('pend-find-1', [person, uniqueEmail('pend-find')], 'Pending');
    await campaignOf('pend-find-2', [uniqueEmail('pend-find')], 'Pending');
    await campaignOf('pend-find-3', [person], 'Pending');
    expect(await settleRecipient(stack.deps.db, 'pend-find-3', emailIdFor(stack, person), 'erased', at)).toBe(true);

    const holding = await findCampaignsHolding(stack.deps.db, emailIdFor(stack, person));
    expect(holding).toContain('pend-find-1');
    expect(holding).not.toContain('pend-find-2');
    expect(holding).not.toContain('pend-find-3');
    // A worker's claim in a send without a campaign record (POST /v1/sends) is listed by its claim record alone.
    await recordClaim(stack.deps.db, 'pend-find-send', { claimId: 'w', at }, [emailIdFor(stack, person)]);
    expect((await claimRecipient(stack.deps.db, 'pend-find-send', emailIdFor(stack, person), { claimId: 'w', at, recorded: true })).claimed).toBe(true);
    expect(await findCampaignsHolding(stack.deps.db, emailIdFor(stack, person))).toContain('pend-find-send');
    const unfinished = await findUnfinishedCampaigns(stack.deps.db);
    expect(unfinished).toEqual(expect.arrayContaining(['pend-find-1', 'pend-find-2']));
    expect(unfinished).not.toContain('pend-find-3');
  });
});

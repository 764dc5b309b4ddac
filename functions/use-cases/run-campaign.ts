import type { EmailId } from '../core/email-id';
import { ValidationError } from '../core/errors';
import type { Deps } from '../deps';
import type { CampaignWork } from '../queue/campaign-queue';
import type { RateLimiter } from '../queue/rate-limiter';
import { dropClaimRecord, listStaleClaims } from '../store/campaign-claims';
import { claimRecipient, finishRecipient, pagePendingRecipients, readRecipients, settleRecipient } from '../store/campaign-recipients';
import { type CampaignDefinition, getCampaign } from '../store/campaigns';
import { resolveScope } from './decide-recipients';
import { CLAIM_TIMEOUT_MS, deliverBatch } from './deliver-batch';

/**
 * The campaign worker, the same locally (in-process queue) and in AWS (SQS). Steps:
 * 1. read the campaign (brand, topic, mail);
 * 2. take the named recipients, or every pending one, 50 at a time;
 * 3. keep those still `pending` and deliver them (decided again after each wait for the send
 *    rate, so an unsubscribe that landed mid-campaign counts; claimed, so a redelivery sends
 *    nothing twice; only the mails sent take a share of the rate);
 * 4. turn claims abandoned by a dead worker into `failed: interrupted`.
 * An aborted `signal` (the local stack stopping) ends the run between chunks, holding no claim.
 * A campaign whose stored topic or purpose no longer fits its brand (stored before transactional
 * needed a purpose, or its topic since removed from brands.json) fails its pending recipients `scope-invalid`.
 */
export async function runCampaign(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'logger' | 'mailer' | 'random' | 'ses' | 'tokens'>,
  work: CampaignWork,
  opts: { limiter: RateLimiter; signal?: AbortSignal },
): Promise<void> {
  const campaign = await getCampaign(deps.db, work.campaignId);
  if (!campaign) {
    deps.logger.warn('campaign work for an unknown campaign', { campaignId: work.campaignId });
    return;
  }
  let resolved: ReturnType<typeof resolveScope>;
  try {
    resolved = resolveScope(deps, campaign);
  } catch (err) {
    // A brand unknown to this worker may be its configuration lagging: the message fails and waits
    // in the DLQ to be redriven. A topic or purpose that no longer fits the known brand would fail
    // the same way on every receive and leave its recipients pending for ever.
    if (!(err instanceof ValidationError) || !deps.config.brands.get(campaign.brand)) throw err;
    deps.logger.warn('campaign scope no longer resolves: its pending recipients fail', { campaignId: campaign.campaignId });
    await failPending(deps, campaign, work.emailIds as EmailId[] | undefined);
    return;
  }
  const { brand, scope } = resolved;
  // A batch is read, decided and claimed at once (50, a work item's size); its eligible go out in
  // chunks of what the rate allows in about a second (at most 50, one SES bulk call), each decided
  // again after its wait for the rate. The skipped cost their reads and writes, not the rate.
  const batch = 50;
  const sendChunk = Math.max(1, Math.min(50, Math.floor(deps.config.campaignSendRate)));
  const ctx = { campaignId: campaign.campaignId, brand, scope, mail: campaign.mail, counters: true };

  const deliver = async (ids: readonly EmailId[]) => {
    const records = await readRecipients(deps.db, campaign.campaignId, ids);
    // In the order of the work (a batch read answers in any order), so the mails go out in it.
    const inOrder = ids.flatMap((id) => records.get(id) ?? []);
    const pending = inOrder.filter((r) => r.status === 'pending' && r.email);
    // A pending recipient without its address was claimed when its person was erased (the erasure
    // stripped the claim) and then given back: settled as erased, so that it leaves the pending
    // index and its count, and the pages after it are still reached.
    const stripped = inOrder.filter((r) => r.status === 'pending' && !r.email);
    const at = deps.clock.now().toISOString();
    await Promise.all(stripped.map((r) => settleRecipient(deps.db, campaign.campaignId, r.emailId, 'erased', at)));
    if (pending.length === 0) return stripped.length;
    await deliverBatch(
      deps,
      ctx,
      pending.map((r) => ({ emailId: r.emailId, email: r.email as string, data: r.data ?? {} })),
      { limiter: opts.limiter, sendChunk, ...(opts.signal ? { signal: opts.signal } : {}) },
    );
    return pending.length;
  };

  const stopped = () => opts.signal?.aborted === true;
  if (work.emailIds) {
    for (let i = 0; i < work.emailIds.length && !stopped(); i += batch) await deliver(work.emailIds.slice(i, i + batch) as EmailId[]);
  } else {
    // Once through the campaign's pending recipients (those added meanwhile are enqueued anyway).
    await forEachPendingPage(deps, campaign.campaignId, batch, stopped, deliver);
  }

  if (stopped()) return;
  const before = new Date(deps.clock.now().getTime() - CLAIM_TIMEOUT_MS).toISOString();
  const stale = await listStaleClaims(deps.db, campaign.campaignId, before);
  // A record's first claim is stale, not necessarily each of its claims: one younger keeps it.
  const held = new Set<string>();
  for (const emailId of stale.emailIds) {
    const rec = (await readRecipients(deps.db, campaign.campaignId, [emailId])).get(emailId);
    if (rec?.status !== 'claimed') continue;
    if ((rec.claimedAt ?? '') >= before) {
      held.add(rec.claimId ?? '');
      continue;
    }
    await finishRecipient(
      deps.db,
      { campaignId: campaign.campaignId, brand: brand.id, topic: scope.topic, category: scope.category, counters: true },
      emailId,
      rec.claimId,
      { status: 'failed', reason: 'interrupted' },
      deps.clock.now().toISOString(),
    );
  }
  for (const record of stale.records) if (!held.has(record.claimId)) await dropClaimRecord(deps.db, record.key);
}

/** Each pending recipient (the named ones, else every one) claimed and recorded `failed: scope-invalid`, with its counts. */
async function failPending(deps: Pick<Deps, 'clock' | 'db' | 'random'>, campaign: CampaignDefinition, named: EmailId[] | undefined) {
  const target = { campaignId: campaign.campaignId, brand: campaign.brand, topic: campaign.topic, category: campaign.category, counters: true };
  const claimId = deps.random.id();
  const failBatch = async (ids: readonly EmailId[]) => {
    const records = await readRecipients(deps.db, campaign.campaignId, ids);
    const pending = [...records.values()].filter((r) => r.status === 'pending');
    for (const r of pending) {
      const at = deps.clock.now().toISOString();
      if (!(await claimRecipient(deps.db, campaign.campaignId, r.emailId, { claimId, at })).claimed) continue;
      await finishRecipient(deps.db, target, r.emailId, claimId, { status: 'failed', reason: 'scope-invalid' }, at);
    }
    return pending.length;
  };
  if (named) {
    for (let i = 0; i < named.length; i += 50) await failBatch(named.slice(i, i + 50));
    return;
  }
  await forEachPendingPage(deps, campaign.campaignId, 50, () => false, failBatch);
}

/** Every pending recipient of the campaign, page by page, handed on `size` at a time until `stopped`. */
async function forEachPendingPage(
  deps: Pick<Deps, 'db'>,
  campaignId: string,
  size: number,
  stopped: () => boolean,
  each: (ids: readonly EmailId[]) => Promise<unknown>,
): Promise<void> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await pagePendingRecipients(deps.db, campaignId, start);
    for (let i = 0; i < page.ids.length && !stopped(); i += size) await each(page.ids.slice(i, i + size));
    start = page.next;
  } while (start && !stopped());
}

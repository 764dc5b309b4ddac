import type { Deps } from '../deps';
import type { CampaignQueue } from '../queue/campaign-queue';
import { findUnfinishedCampaigns } from '../store/campaigns';

/**
 * Hands every campaign that still has recipients pending or claimed to the queue again. The local
 * stack does this at start, because its in-process queue lost the work of the stopped process
 * (SQS keeps it in AWS), and once more after the claim timeout, so that claims the stopped process
 * held are settled as `failed: interrupted` (their mail may have left; it is never sent again).
 * `runCampaign` only touches recipients still pending, so handing over more than needed costs reads.
 */
export async function resumeUnfinishedCampaigns(deps: Pick<Deps, 'db'>, queue: CampaignQueue): Promise<string[]> {
  const ids = await findUnfinishedCampaigns(deps.db);
  if (ids.length) await queue.enqueue(ids.map((campaignId) => ({ campaignId })));
  return ids;
}

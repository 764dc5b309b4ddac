import type { Deps } from '../deps';
import type { CampaignQueue } from '../queue/campaign-queue';
import { findUnfinishedCampaigns, getCampaign } from '../store/campaigns';

/**
 * Hands every campaign that still has recipients pending or claimed to the queue again. The local
 * stack does this at start, because its in-process queue lost the work of the stopped process
 * (SQS keeps it in AWS), and once more after the claim timeout, so that claims the stopped process
 * held are settled as `failed: interrupted` (their mail may have left; it is never sent again).
 * `runCampaign` only touches recipients still pending, so handing over more than needed costs reads.
 * Claims without a campaign (`POST /v1/sends` claims under its `campaignId` with no campaign
 * record) are left to that route: a repeated request settles a stale claim itself.
 */
export async function resumeUnfinishedCampaigns(deps: Pick<Deps, 'db'>, queue: CampaignQueue): Promise<string[]> {
  const ids: string[] = [];
  for (const id of await findUnfinishedCampaigns(deps.db)) if (await getCampaign(deps.db, id)) ids.push(id);
  if (ids.length) await queue.enqueue(ids.map((campaignId) => ({ campaignId })));
  return ids;
}

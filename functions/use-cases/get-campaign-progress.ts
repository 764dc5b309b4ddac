import { NotFoundError } from '../core/errors';
import type { Deps } from '../deps';
import { readCampaignCounts } from '../store/campaign-counts';

/**
 * GET /v1/campaigns/{campaignId}: the counters, by status and skip reason, as of one instant
 * (they move in the same transactions as the recipients they count).
 */
export async function getCampaignProgress(deps: Pick<Deps, 'db'>, campaignId: string) {
  const c = await readCampaignCounts(deps.db, campaignId);
  if (!c) throw new NotFoundError('There is no campaign with this id.');
  const skippedBy = Object.fromEntries(Object.entries(c.skippedBy).filter(([, n]) => n > 0));
  return { campaignId, counts: c.counts, skippedBy };
}

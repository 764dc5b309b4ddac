import { NotFoundError } from '../core/errors';
import type { Deps } from '../deps';
import { getCampaign } from '../store/campaigns';

/** GET /v1/campaigns/{campaignId}: the counters kept on the campaign, by status and skip reason. */
export async function getCampaignProgress(deps: Pick<Deps, 'db'>, campaignId: string) {
  const c = await getCampaign(deps.db, campaignId);
  if (!c) throw new NotFoundError('There is no campaign with this id.');
  const skippedBy = Object.fromEntries(Object.entries(c.skippedBy).filter(([, n]) => n > 0));
  return { campaignId, counts: c.counts, skippedBy };
}

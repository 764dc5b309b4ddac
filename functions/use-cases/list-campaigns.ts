/**
 * Campaigns for the console, newest first, each with its progress:
 *
 * 1. one page of the campaign list (gsi2 `CAMPAIGNS`, descending by creation);
 * 2. each campaign's counts, read as GET /v1/campaigns/{id} reads them, a few at a time;
 * 3. the rows and where the next page starts.
 */
import { forEachConcurrently } from '../core/concurrency';
import { InvalidCursorError, NotFoundError } from '../core/errors';
import type { Deps } from '../deps';
import { type CampaignPageKey, type CampaignSummary, getCampaign, isCampaignPageKey, listCampaignPage } from '../store/campaigns';
import { getCampaignProgress } from './get-campaign-progress';

export type CampaignRow = CampaignSummary & Pick<Awaited<ReturnType<typeof getCampaignProgress>>, 'counts' | 'skippedBy'>;

export async function listCampaigns(
  deps: Pick<Deps, 'db'>,
  input: { limit: number; from?: Record<string, unknown> },
): Promise<{ items: CampaignRow[]; next?: CampaignPageKey }> {
  if (input.from && !isCampaignPageKey(input.from)) throw new InvalidCursorError();
  const page = await listCampaignPage(deps.db, { limit: input.limit, ...(input.from ? { startKey: input.from as CampaignPageKey } : {}) });
  const items: CampaignRow[] = new Array(page.items.length);
  await forEachConcurrently(page.items, 4, async (c, i) => {
    const p = await getCampaignProgress(deps, c.campaignId);
    items[i] = { ...c, counts: p.counts, skippedBy: p.skippedBy };
  });
  return { items, ...(page.nextKey ? { next: page.nextKey } : {}) };
}

/** One campaign: what it sends (brand, topic, the template or subject) and its progress, or `NotFoundError`. */
export async function showCampaign(deps: Pick<Deps, 'db'>, campaignId: string) {
  const progress = await getCampaignProgress(deps, campaignId);
  const definition = await getCampaign(deps.db, campaignId);
  if (!definition) throw new NotFoundError('There is no campaign with this id.');
  return { ...progress, definition };
}

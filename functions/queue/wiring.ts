import type { Deps } from '../deps';
import { runCampaign } from '../use-cases/run-campaign';
import { type CampaignQueue, createInProcessCampaignQueue, createSqsCampaignQueue } from './campaign-queue';
import { createRateLimiter } from './rate-limiter';

/**
 * The campaign queue for these dependencies: SQS when `CAMPAIGN_QUEUE_URL` is set (AWS), else
 * in-process, running `runCampaign` here within `CAMPAIGN_SEND_RATE` (local stack, tests).
 */
export function campaignQueueFor(deps: Deps): CampaignQueue {
  if (deps.config.campaignQueueUrl) return createSqsCampaignQueue(deps.config.region, deps.config.campaignQueueUrl);
  return inProcessCampaignQueue(deps);
}

export function inProcessCampaignQueue(deps: Deps) {
  const limiter = createRateLimiter(deps.config.campaignSendRate);
  return createInProcessCampaignQueue((work, signal) => runCampaign(deps, work, { limiter, signal }), deps.logger);
}

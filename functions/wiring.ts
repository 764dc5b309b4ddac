import type { Config } from './config';
import type { Deps } from './deps';
import { createRelyingParty, type RelyingParty } from './oidc/relying-party';
import { type CampaignQueue, createInProcessCampaignQueue, createSqsCampaignQueue } from './queue/campaign-queue';
import { createRateLimiter } from './queue/rate-limiter';

/**
 * Where the dependencies are made (a handler, the local stack, the tests), the campaign queue is
 * chosen with them: the one place that knows both the queue and the worker it feeds.
 *
 * The campaign queue for these dependencies: SQS when `CAMPAIGN_QUEUE_URL` is set (AWS), else
 * in-process, running `runCampaign` here within `CAMPAIGN_SEND_RATE` (local stack, tests).
 */
export function campaignQueueFor(deps: Deps): CampaignQueue {
  if (deps.config.campaignQueueUrl) return createSqsCampaignQueue(deps.config.region, deps.config.campaignQueueUrl);
  return inProcessCampaignQueue(deps);
}

export function inProcessCampaignQueue(deps: Deps) {
  const limiter = createRateLimiter(deps.config.campaignSendRate);
  // Imported on the first campaign: a function whose queue is SQS (every one in AWS) never runs it.
  const run = () => import('./use-cases/run-campaign');
  return createInProcessCampaignQueue(async (work, signal) => (await run()).runCampaign(deps, work, { limiter, signal }), deps.logger);
}

/**
 * The console's OpenID Connect client, for the dependencies of whatever serves the console (its
 * function, the local stack, the tests): made here rather than in createDeps, so that no other
 * function's bundle carries the OpenID Connect library.
 */
export function consoleRelyingParty(config: Config): { consoleRp: RelyingParty } | Record<string, never> {
  const c = config.console;
  if (!c) return {};
  return {
    consoleRp: createRelyingParty({
      issuer: c.issuer,
      clientId: c.clientId,
      redirectUri: `${c.baseUrl}/console/callback`,
      postLogoutRedirectUri: `${c.baseUrl}/console/signed-out`,
      ...(c.logoutUrl ? { logoutUrl: c.logoutUrl } : {}),
      allowInsecureRequests: c.allowInsecureRequests,
    }),
  };
}

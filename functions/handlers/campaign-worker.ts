import type { CampaignWork } from '../queue/campaign-queue';
import { createRateLimiter } from '../queue/rate-limiter';
import { runCampaign } from '../use-cases/run-campaign';
import { depsFromEnv } from './bootstrap';

/** The parts of an SQS event this handler reads. */
interface SqsEvent {
  Records: { messageId: string; body: string }[];
}

const deps = await depsFromEnv();
// One bucket per container: give the function a reserved concurrency of 1 so that the
// configured rate is the account's rate.
const limiter = createRateLimiter(deps.config.campaignSendRate);

/**
 * SQS → runCampaign, one message `{campaignId, emailIds?}` at a time. A failed message is
 * reported alone (`ReportBatchItemFailures`) and comes back later, then to the DLQ; the stored
 * claims make a redelivery send nothing twice.
 */
export async function handler(event: SqsEvent): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    try {
      const work = JSON.parse(record.body) as CampaignWork;
      if (typeof work.campaignId !== 'string') throw new Error('campaign message without campaignId');
      await runCampaign(deps, work, { limiter });
    } catch (error) {
      deps.logger.warn('campaign message failed', { messageId: record.messageId, error });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

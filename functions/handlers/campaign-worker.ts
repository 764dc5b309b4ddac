import { decodeCampaignMessage } from '../queue/campaign-message';
import { createRateLimiter } from '../queue/rate-limiter';
import { runCampaign } from '../use-cases/run-campaign';
import { depsFromEnv } from './bootstrap';

/** The parts of an SQS event (`SQSEvent` as Lambda delivers it) this handler reads. */
interface SqsEvent {
  Records: { messageId: string; body: string; attributes?: { ApproximateReceiveCount?: string } }[];
}

const deps = await depsFromEnv();
// One bucket per container: give the function a reserved concurrency of 1 so that the
// configured rate is the account's rate.
const limiter = createRateLimiter(deps.config.campaignSendRate);

/**
 * SQS → runCampaign, one message `{campaignId, emailIds?}` at a time (functions/queue/campaign-message.ts).
 * A failed message is reported alone (`ReportBatchItemFailures`) and comes back later, then to the
 * DLQ; the stored claims make a redelivery send nothing twice.
 *
 * A body the schema refuses is dropped, not reported: it would fail the same way on every receive
 * and only reach the DLQ after five, holding up nothing but costing five runs. Our producer
 * encodes with the same schema, so such a body was never sent by it; the error log line (message
 * id and the schema's complaint, never the body) is where it is seen.
 */
export async function handler(event: SqsEvent): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    const decoded = decodeCampaignMessage(record.body);
    if (!decoded.ok) {
      deps.logger.error('campaign message dropped: malformed body', {
        messageId: record.messageId,
        receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? 0),
        issues: decoded.issues,
      });
      continue;
    }
    try {
      await runCampaign(deps, decoded.work, { limiter });
    } catch (error) {
      deps.logger.warn('campaign message failed', { messageId: record.messageId, campaignId: decoded.work.campaignId, error });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

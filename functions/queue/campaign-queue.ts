import type { SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '../log';
import { type CampaignWork, encodeCampaignMessage } from './campaign-message';

export type { CampaignWork } from './campaign-message';

/**
 * Where the recipients route hands campaign work: SQS in AWS (consumed by
 * handlers/campaign-worker.ts), an in-process queue locally and in tests. Both end in the same
 * `runCampaign`.
 */
export interface CampaignQueue {
  enqueue(work: CampaignWork[]): Promise<void>;
}

/**
 * The SQS SDK is imported on the first enqueue, not at cold start: only creating a campaign needs
 * it, and the import costs every other request of the privileged API about 20 ms.
 */
export function createSqsCampaignQueue(region: string, queueUrl: string): CampaignQueue {
  let client: Promise<{ sqs: SQSClient; SendMessageBatchCommand: typeof import('@aws-sdk/client-sqs').SendMessageBatchCommand }> | undefined;
  return {
    async enqueue(work) {
      // Encoded before the SDK is touched: work the worker would refuse fails here, whole.
      const batches = campaignMessageBatches(work);
      client ??= import('@aws-sdk/client-sqs').then(
        (m) => ({ sqs: new m.SQSClient({ region }), SendMessageBatchCommand: m.SendMessageBatchCommand }),
        (err: unknown) => {
          client = undefined;
          throw err;
        },
      );
      const { sqs, SendMessageBatchCommand } = await client;
      for (const Entries of batches) {
        const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries }));
        if (out.Failed?.length) throw new Error(`SQS refused ${out.Failed.length} campaign messages`);
      }
    },
  };
}

/** The `SendMessageBatch` entries of this work: at most 10 a call (SQS's limit), each body encoded by the shared schema. */
export function campaignMessageBatches(work: readonly CampaignWork[]): SendMessageBatchRequestEntry[][] {
  const batches: SendMessageBatchRequestEntry[][] = [];
  for (let i = 0; i < work.length; i += 10) {
    batches.push(work.slice(i, i + 10).map((w, j) => ({ Id: String(j), MessageBody: encodeCampaignMessage(w) })));
  }
  return batches;
}

/**
 * Runs work in this process, one item after another, like an SQS consumer with a batch size of
 * one: a failed item is tried again a few times (the recipient claims make that harmless). Each
 * item goes through the message schema both ways, so that locally too only what SQS would carry
 * to the worker runs. `stop()` takes no more work and has the item in progress end after the
 * batch it is sending (`signal`), so that a stopping process strands no claim; what was not run
 * stays pending in the table, where the next start finds it (use-cases/resume-campaigns.ts).
 */
export function createInProcessCampaignQueue(
  run: (work: CampaignWork, signal: AbortSignal) => Promise<void>,
  logger: Logger,
  { attempts = 3 } = {},
): CampaignQueue & { idle(): Promise<void>; stop(): Promise<void> } {
  let tail = Promise.resolve();
  const stopping = new AbortController();
  return {
    async enqueue(work) {
      // Checked (and stripped) as a message body would be, before any of it is queued.
      const checked = work.map((w) => JSON.parse(encodeCampaignMessage(w)) as CampaignWork);
      for (const w of checked) {
        tail = tail.then(async () => {
          for (let attempt = 1; attempt <= attempts && !stopping.signal.aborted; attempt++) {
            try {
              return await run(w, stopping.signal);
            } catch (error) {
              logger.warn('campaign work failed', { campaignId: w.campaignId, attempt, error });
              await new Promise((r) => setTimeout(r, 200 * attempt));
            }
          }
        });
      }
    },
    idle: () => tail,
    stop: () => {
      stopping.abort();
      return tail;
    },
  };
}

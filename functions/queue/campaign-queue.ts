import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '../log';

/** One unit of campaign work: these recipients (or every pending one) of this campaign. */
export interface CampaignWork {
  campaignId: string;
  emailIds?: string[];
}

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
      client ??= import('@aws-sdk/client-sqs').then(
        (m) => ({ sqs: new m.SQSClient({ region }), SendMessageBatchCommand: m.SendMessageBatchCommand }),
        (err: unknown) => {
          client = undefined;
          throw err;
        },
      );
      const { sqs, SendMessageBatchCommand } = await client;
      for (let i = 0; i < work.length; i += 10) {
        const chunk = work.slice(i, i + 10);
        const out = await sqs.send(
          new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: chunk.map((w, j) => ({ Id: String(j), MessageBody: JSON.stringify(w) })) }),
        );
        if (out.Failed?.length) throw new Error(`SQS refused ${out.Failed.length} campaign messages`);
      }
    },
  };
}

/**
 * Runs work in this process, one item after another, like an SQS consumer with a batch size of
 * one: a failed item is tried again a few times (the recipient claims make that harmless).
 * `stop()` takes no more work and has the item in progress end after the batch it is sending
 * (`signal`), so that a stopping process strands no claim; what was not run stays pending in the
 * table, where the next start finds it (use-cases/resume-campaigns.ts).
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
      for (const w of work) {
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

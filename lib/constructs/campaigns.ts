import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTION_ENTRIES } from '../function-entries';
import { AppFunction } from './app-function';
import { allowTemplateSends, bindData, deadLetterQueue, type FunctionContext } from './function-context';

export interface CampaignsProps {
  functions: FunctionContext;
  /** Receives a message this many times before it goes to the dead-letter queue. @default 5 */
  maxReceiveCount?: number;
  /** Most worker instances polling at once: the SES send rate, not Lambda, is the limit. @default 2 (SQS's minimum) */
  maxConcurrency?: number;
}

/**
 * The campaign pipeline: the queue POST /v1/campaigns/{id}/recipients fills, its dead-letter queue,
 * and the worker that sends each queued slice within the SES rate (partial batch failures).
 *
 * Created in the scope it is given (the stack), like every construct of the stateless stack, so
 * the queue, the worker and their event-source mapping keep their logical ids (a second mapping
 * of the same queue and function would be refused).
 */
export class Campaigns extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly worker: AppFunction;

  constructor(scope: Construct, id: string, props: CampaignsProps) {
    super(scope, id);
    const ctx = props.functions;
    this.deadLetterQueue = deadLetterQueue(scope, 'CampaignDlq');
    // A message is 50 recipients; at the sandbox rate of 1 a second that is about 50 s of waiting
    // plus its reads and sends, so one message a receive (batchSize 1) with room to spare.
    const workerTimeout = Duration.seconds(120);
    this.queue = new Queue(scope, 'CampaignQueue', {
      // At least AWS's advice for Lambda consumers (six times the function's timeout), and long
      // enough that a message whose worker died comes back after that worker's claims went stale
      // (15 minutes, use-cases/deliver-batch.ts), so that its own sweep settles them: 15 + 2 + 1.
      visibilityTimeout: Duration.minutes(18),
      retentionPeriod: Duration.days(4),
      enforceSSL: true,
      encryption: QueueEncryption.SQS_MANAGED,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });

    this.worker = bindData(
      new AppFunction(scope, 'CampaignWorker', {
        entry: FUNCTION_ENTRIES.campaignWorker.entry,
        description: 'Sends queued campaign recipients within the SES rate (SQS, partial batch failures)',
        // 1024 MB: a message is a slice of recipients filtered (BatchGetItem) and sent in chunks;
        // more CPU shortens the HMAC and rendering work between sends.
        memorySize: 1024,
        // One message paced at the SES send rate; the queue's visibility timeout is six times this.
        timeout: workerTimeout,
        environment: ctx.environment,
      }),
      ctx,
      // DeleteItem and gsi1 for the claim records: a batch drops its own, and the sweep of stale
      // claims that ends every run finds them in gsi1 (store/campaign-claims.ts).
      { actions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'], queriedIndexes: ['gsi1'] },
    ).allow(['ses:SendEmail'], ctx.sendEmailResources);
    allowTemplateSends(this.worker, ctx);
    this.worker.addEventSource(new SqsEventSource(this.queue, { batchSize: 1, reportBatchItemFailures: true, maxConcurrency: props.maxConcurrency ?? 2 }));
  }

  /** Lets a function start campaigns: CAMPAIGN_QUEUE_URL and sqs:SendMessage on the queue. */
  allowEnqueue(fn: AppFunction): void {
    fn.addEnvironment('CAMPAIGN_QUEUE_URL', this.queue.queueUrl);
    fn.allow(['sqs:SendMessage'], [this.queue.queueArn]);
  }
}

import { Duration } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import type { IConfigurationSet } from 'aws-cdk-lib/aws-ses';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTION_ENTRIES } from '../function-entries';
import { AppFunction } from './app-function';
import { bindData, deadLetterQueue, type FunctionContext } from './function-context';

export interface SesFeedbackProps {
  functions: FunctionContext;
  /** The configuration set whose events (sent to the default bus by the stateful stack) are handled. */
  configurationSet: IConfigurationSet;
  /** EventBridge's retries of a failed delivery to the function. @default 8 */
  retryAttempts?: number;
  /** How long EventBridge keeps retrying an event. @default 6 hours */
  maxEventAge?: Duration;
}

/**
 * SES feedback: the EventBridge rule on the configuration set's bounce, complaint, delivery and
 * reject events, the function that suppresses and records them, and the dead-letter queue of
 * both. Created in the scope it is given (the stack), so the logical ids stay the stack's own.
 */
export class SesFeedback extends Construct {
  readonly handler: AppFunction;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: SesFeedbackProps) {
    super(scope, id);
    const ctx = props.functions;
    this.deadLetterQueue = deadLetterQueue(scope, 'SesEventsDlq');
    this.handler = bindData(
      new AppFunction(scope, 'SesEvents', {
        entry: FUNCTION_ENTRIES.sesEvents.entry,
        description: 'SES feedback from EventBridge: bounces and complaints suppress, deliveries are recorded',
        // 256 MB: one small JSON event and two or three DynamoDB writes per invocation.
        memorySize: 256,
        // 30 s: room for the transaction's retries on a contended profile (updateSubscriber).
        timeout: Duration.seconds(30),
        environment: ctx.environment,
        deadLetterQueue: this.deadLetterQueue,
      }),
      ctx,
      { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'] },
    );

    new Rule(scope, 'SesEventsRule', {
      description: 'SES bounce, complaint, delivery and reject events of our configuration set',
      eventPattern: {
        source: ['aws.ses'],
        detailType: ['Email Bounced', 'Email Complaint Received', 'Email Delivered', 'Email Rejected'],
        detail: { mail: { tags: { 'ses:configuration-set': [props.configurationSet.configurationSetName] } } },
      },
      targets: [
        new LambdaTarget(this.handler, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: props.retryAttempts ?? 8,
          maxEventAge: props.maxEventAge ?? Duration.hours(6),
        }),
      ],
    });
  }
}

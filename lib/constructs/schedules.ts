import { Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTION_ENTRIES } from '../function-entries';
import { AppFunction } from './app-function';
import { bindData, deadLetterQueue, type FunctionContext, GSI_INQUIRIES, GSI_SUPPRESSIONS } from './function-context';

export interface SchedulesProps {
  functions: FunctionContext;
  /** Time zone of the schedule expressions. @default Asia/Tokyo */
  timezone?: string;
}

/**
 * The timed jobs: the hourly inquiry job (verification and due-date reminders, expiry) and the
 * daily per-brand feedback rates, their EventBridge Scheduler schedules, the role that may invoke
 * only those two, and the dead-letter queue of both. Created in the scope it is given (the stack),
 * so the logical ids stay the stack's own.
 */
export class Schedules extends Construct {
  readonly scheduler: AppFunction;
  readonly feedbackRates: AppFunction;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    const ctx = props.functions;
    const dlq = deadLetterQueue(scope, 'SchedulerDlq');
    this.deadLetterQueue = dlq;

    this.scheduler = bindData(
      new AppFunction(scope, 'Scheduler', {
        entry: FUNCTION_ENTRIES.scheduler.entry,
        description: 'Hourly inquiry job: verification reminders, due-date reminders, expiry',
        // 512 MB: pages through open inquiries (gsi1) and sends a few mails.
        memorySize: 512,
        // 5 min: a backlog of reminders after an outage is worked through in one run.
        timeout: Duration.minutes(5),
        environment: ctx.environment,
        deadLetterQueue: dlq,
      }),
      ctx,
      // gsi2 for the campaign list: a stopped erasure it finishes reads the person's recipient in every campaign.
      { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'], indexes: [GSI_INQUIRIES, GSI_SUPPRESSIONS] },
    )
      .allow(['ses:SendEmail'], ctx.sendEmailResources)
      // It finishes erasures that stopped midway, which seal the proof of consent.
      .bindConsentProofSecret(ctx.consentProofSecret);

    this.feedbackRates = bindData(
      new AppFunction(scope, 'FeedbackRates', {
        entry: FUNCTION_ENTRIES.feedbackRates.entry,
        description: 'Daily per-brand bounce and complaint rates as CloudWatch EMF metrics',
        // 256 MB: counts and a few log lines (EMF needs no CloudWatch API permission).
        memorySize: 256,
        // 2 min: reads a day of counters per brand.
        timeout: Duration.minutes(2),
        environment: ctx.environment,
        deadLetterQueue: dlq,
      }),
      ctx,
      { actions: ['GetItem', 'Query'] },
    );

    const role = new Role(scope, 'ScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } } }),
      description: 'EventBridge Scheduler: invokes the scheduler and feedback-rates functions only',
    });
    role.addToPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.scheduler.functionArn, this.feedbackRates.functionArn] }));
    role.addToPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [dlq.queueArn] }));
    const schedule = (scheduleId: string, expression: string, fn: AppFunction, description: string) =>
      new CfnSchedule(scope, scheduleId, {
        description,
        scheduleExpression: expression,
        scheduleExpressionTimezone: props.timezone ?? 'Asia/Tokyo',
        flexibleTimeWindow: { mode: 'OFF' },
        target: {
          arn: fn.functionArn,
          roleArn: role.roleArn,
          retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
          deadLetterConfig: { arn: dlq.queueArn },
        },
      });
    schedule('InquiryHourly', 'rate(1 hour)', this.scheduler, 'Inquiry reminders, due dates and expiry');
    schedule('FeedbackRatesDaily', 'cron(15 0 * * ? *)', this.feedbackRates, 'Per-brand bounce and complaint rates of the previous day');
  }
}

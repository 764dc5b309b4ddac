import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, type IMetric, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Alarm thresholds on SES reputation (fractions): below AWS's review levels of 5 % bounces and 0.1 % complaints. */
export const REPUTATION_THRESHOLDS = { bounceRate: 0.04, complaintRate: 0.0008 } as const;

export interface MonitoringProps {
  api: HttpApi;
  /** Each gets an errors and a throttles alarm, named after its key. */
  functions: Record<string, IFunction>;
  /** Each alarms on its first message, named after its key. */
  deadLetterQueues: Record<string, IQueue>;
  /** Brands whose daily bounce and complaint rates (the feedback-rates job's metrics) are watched. */
  brandIds: string[];
  /** Subscribed to the alarm topic. @default no subscription (subscribe the topic by hand) */
  alarmEmail?: string;
}

/**
 * The alarms, all on one SNS topic: API 5xx, every function's errors and throttles, every
 * dead-letter queue, and SES reputation overall and per brand, each before AWS reviews the
 * account. Created in the scope it is given (the stack), so the logical ids stay the stack's own.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new Topic(scope, 'Alarms', { displayName: 'Privacy backend alarms', enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const alarm = (alarmId: string, metric: IMetric, threshold: number, description: string) => {
      const a = new Alarm(scope, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(new SnsAction(this.topic));
      return a;
    };
    const five = Duration.minutes(5);
    alarm('Api5xx', props.api.metricServerError({ period: five, statistic: 'Sum' }), 5, 'The HTTP API answered 5 or more 5xx in 5 minutes');
    for (const [name, fn] of Object.entries(props.functions)) {
      alarm(`${name}Errors`, fn.metricErrors({ period: five, statistic: 'Sum' }), 1, `${name}: invocation errors`);
      alarm(`${name}Throttles`, fn.metricThrottles({ period: five, statistic: 'Sum' }), 1, `${name}: throttled invocations`);
    }
    for (const [name, q] of Object.entries(props.deadLetterQueues)) {
      alarm(
        `${name}Depth`,
        q.metricApproximateNumberOfMessagesVisible({ period: five, statistic: 'Maximum' }),
        1,
        `${name} holds messages: see docs/operations.md`,
      );
    }
    const hour = Duration.hours(1);
    alarm(
      'SesBounceRate',
      new Metric({ namespace: 'AWS/SES', metricName: 'Reputation.BounceRate', period: hour, statistic: 'Maximum' }),
      REPUTATION_THRESHOLDS.bounceRate,
      'Account bounce rate at 4 % (AWS reviews the account at 5 %)',
    );
    alarm(
      'SesComplaintRate',
      new Metric({ namespace: 'AWS/SES', metricName: 'Reputation.ComplaintRate', period: hour, statistic: 'Maximum' }),
      REPUTATION_THRESHOLDS.complaintRate,
      'Account complaint rate at 0.08 % (AWS reviews the account at 0.1 %)',
    );
    const day = Duration.days(1);
    for (const brand of props.brandIds) {
      const m = (metricName: string) =>
        new Metric({ namespace: 'PrivacyBackend', metricName, dimensionsMap: { Brand: brand }, period: day, statistic: 'Maximum' });
      // The feedback-rates job emits percent (CloudWatch unit Percent); SES's own metrics are fractions.
      alarm(`BounceRate-${brand}`, m('BounceRate'), REPUTATION_THRESHOLDS.bounceRate * 100, `${brand}: bounce rate of the day at 4 %`);
      alarm(`ComplaintRate-${brand}`, m('ComplaintRate'), REPUTATION_THRESHOLDS.complaintRate * 100, `${brand}: complaint rate of the day at 0.08 %`);
    }
  }
}

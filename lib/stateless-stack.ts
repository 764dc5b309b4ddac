import { CfnOutput, Duration, Stack, type StackProps, Token, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { ApiMapping, CorsHttpMethod, DomainName, HttpApi, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { Alarm, ComparisonOperator, type IMetric, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IConfigurationSet } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { loadBrands } from '../functions/config';
import { TABLE_KEYS } from '../functions/store/table';
import { ApiRoutes } from './constructs/api-routes';
import { AppFunction } from './constructs/app-function';
import { FUNCTION_ENTRIES, type FunctionName } from './function-entries';
import type { DeploySettings } from './settings';

/** Alarm thresholds on SES reputation (fractions): below AWS's review levels of 5 % bounces and 0.1 % complaints. */
export const REPUTATION_THRESHOLDS = { bounceRate: 0.04, complaintRate: 0.0008 } as const;

export interface StatelessStackProps extends StackProps {
  table: ITableV2;
  /** The table's customer-managed key, when it has one. */
  tableKey?: IKey;
  secrets: ISecret;
  configurationSet: IConfigurationSet;
  settings: DeploySettings;
}

/** Functions, the HTTP API, queues, schedules and alarms; safe to destroy and redeploy at any time. */
export class StatelessStack extends Stack {
  readonly api: HttpApi;
  readonly functions: Record<FunctionName, AppFunction>;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { settings, table, tableKey } = props;

    this.api = new HttpApi(this, 'HttpApi', {
      description: 'Email preferences and privacy inquiries',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: settings.corsOrigins,
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.HEAD, CorsHttpMethod.POST, CorsHttpMethod.PUT],
        allowHeaders: ['content-type'],
        maxAge: Duration.hours(1),
      },
    });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.ONE_MONTH });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: settings.throttle,
      // Route and status only; the default format would log the caller's IP and the path (which holds tokens).
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latency: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });
    const publicBaseUrl = settings.publicBaseUrl ?? this.api.apiEndpoint;

    // --- queues -------------------------------------------------------------------------------
    const dlq = (name: string) => new Queue(this, name, { retentionPeriod: Duration.days(14), enforceSSL: true, encryption: QueueEncryption.SQS_MANAGED });
    const campaignDlq = dlq('CampaignDlq');
    const sesEventsDlq = dlq('SesEventsDlq');
    const schedulerDlq = dlq('SchedulerDlq');
    const campaignWorkerTimeout = Duration.seconds(60);
    const campaignQueue = new Queue(this, 'CampaignQueue', {
      // AWS's advice for Lambda consumers: six times the function's timeout.
      visibilityTimeout: Duration.seconds(campaignWorkerTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      enforceSSL: true,
      encryption: QueueEncryption.SQS_MANAGED,
      deadLetterQueue: { queue: campaignDlq, maxReceiveCount: 5 },
    });

    // --- functions ----------------------------------------------------------------------------
    const env = {
      PUBLIC_BASE_URL: publicBaseUrl,
      SES_CONFIGURATION_SET: props.configurationSet.configurationSetName,
      ...settings.functionEnv,
    };
    const sesArn = (resource: string, name: string) => this.formatArn({ service: 'ses', resource, resourceName: name });
    const sendEmailResources = [
      ...settings.sendingDomains.map((d) => sesArn('identity', d)),
      sesArn('configuration-set', props.configurationSet.configurationSetName),
    ];
    // Marketing sends with an SES template (POST /v1/sends, campaigns): SendBulkEmail is
    // authorized on the identity, the configuration set and the template; the route checks the
    // template exists before sending anything.
    const templateArn = sesArn('template', '*');
    const bulkSendResources = [...sendEmailResources, templateArn];
    const [gsiInquiries, gsiSuppressions] = TABLE_KEYS.indexes.map((i) => i.name) as [string, string];

    const apiPublic = new AppFunction(this, 'ApiPublic', {
      entry: FUNCTION_ENTRIES.apiPublic.entry,
      description: 'Public HTTP API: unsubscribe, preferences, subscriptions, inquiries, pages',
      // 512 MB: a request is a few DynamoDB calls, an HMAC and a small page; 512 MB buys the CPU
      // for a ~250 KB bundle's cold start without paying for memory it never fills.
      memorySize: 512,
      // 10 s: far above a normal request (tens of ms) and well inside API Gateway's 30 s, so a
      // stuck dependency ends as a clean 5xx instead of holding a concurrency slot.
      timeout: Duration.seconds(10),
      environment: env,
    })
      .bindTable(table, { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'], ...(tableKey ? { key: tableKey } : {}) })
      .bindSecrets(props.secrets)
      .allow(['ses:SendEmail'], sendEmailResources);

    const apiPrivileged = new AppFunction(this, 'ApiPrivileged', {
      entry: FUNCTION_ENTRIES.apiPrivileged.entry,
      description: 'Privileged HTTP API (IAM): send filter, sends, campaigns, privacy officer tools',
      // 1024 MB: POST /v1/sends/filter takes 10,000 addresses (normalize + HMAC each, 100
      // BatchGetItem calls in flight) and the suppression export builds CSV in memory; Lambda's CPU
      // share grows with memory, and this route must finish inside one API Gateway request.
      memorySize: 1024,
      // 29 s: API Gateway's integration limit is 30 s; anything longer is cut off there anyway.
      timeout: Duration.seconds(29),
      environment: { ...env, ADMIN_AUTH: 'iam', CAMPAIGN_QUEUE_URL: campaignQueue.queueUrl },
    })
      .bindTable(table, {
        actions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem', 'BatchWriteItem'],
        indexes: [gsiInquiries, gsiSuppressions],
        ...(tableKey ? { key: tableKey } : {}),
      })
      .bindSecrets(props.secrets)
      .allow(['ses:SendEmail'], sendEmailResources)
      .allow(['ses:SendBulkEmail'], bulkSendResources)
      .allow(['ses:GetEmailTemplate'], [templateArn])
      .allow(['sqs:SendMessage'], [campaignQueue.queueArn]);

    const sesEvents = new AppFunction(this, 'SesEvents', {
      entry: FUNCTION_ENTRIES.sesEvents.entry,
      description: 'SES feedback from EventBridge: bounces and complaints suppress, deliveries are recorded',
      // 256 MB: one small JSON event and two or three DynamoDB writes per invocation.
      memorySize: 256,
      // 30 s: room for the transaction's retries on a contended profile (updateSubscriber).
      timeout: Duration.seconds(30),
      environment: env,
      deadLetterQueue: sesEventsDlq,
    })
      .bindTable(table, { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'], ...(tableKey ? { key: tableKey } : {}) })
      .bindSecrets(props.secrets);

    const campaignWorker = new AppFunction(this, 'CampaignWorker', {
      entry: FUNCTION_ENTRIES.campaignWorker.entry,
      description: 'Sends queued campaign recipients within the SES rate (SQS, partial batch failures)',
      // 1024 MB: a batch of 10 messages, each a slice of recipients filtered (BatchGetItem) and
      // sent one by one; more CPU shortens the HMAC and rendering work between sends.
      memorySize: 1024,
      // 60 s: a batch paced at the SES send rate; the queue's visibility timeout is six times this.
      timeout: campaignWorkerTimeout,
      environment: env,
    })
      .bindTable(table, {
        actions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'ConditionCheckItem'],
        ...(tableKey ? { key: tableKey } : {}),
      })
      .bindSecrets(props.secrets)
      .allow(['ses:SendEmail'], sendEmailResources)
      .allow(['ses:SendBulkEmail'], bulkSendResources)
      .allow(['ses:GetEmailTemplate'], [templateArn]);
    for (const fn of [apiPrivileged, campaignWorker]) {
      if (!fn.role) continue;
      // cdk-nag names each wildcard finding by the resource it saw, so the acknowledgement names exactly that one.
      const part = (v: string, token: string) => (Token.isUnresolved(v) ? token : v);
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:${part(this.region, '<AWS::Region>')}:${part(this.account, '<AWS::AccountId>')}:template/*]`,
        reason:
          'SES templates are named by the send pipeline per campaign at request time, so SendBulkEmail/GetEmailTemplate cannot list them; the wildcard is limited to templates of this account and region, and the identities and configuration set stay exact.',
      });
    }
    // Two pollers at most (the minimum): the send rate, not Lambda, is the limit.
    campaignWorker.addEventSource(new SqsEventSource(campaignQueue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 2 }));

    const scheduler = new AppFunction(this, 'Scheduler', {
      entry: FUNCTION_ENTRIES.scheduler.entry,
      description: 'Hourly inquiry job: verification reminders, due-date reminders, expiry',
      // 512 MB: pages through open inquiries (gsi1) and sends a few mails.
      memorySize: 512,
      // 5 min: a backlog of reminders after an outage is worked through in one run.
      timeout: Duration.minutes(5),
      environment: env,
      deadLetterQueue: schedulerDlq,
    })
      .bindTable(table, {
        actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'],
        indexes: [gsiInquiries],
        ...(tableKey ? { key: tableKey } : {}),
      })
      .bindSecrets(props.secrets)
      .allow(['ses:SendEmail'], sendEmailResources);

    const feedbackRates = new AppFunction(this, 'FeedbackRates', {
      entry: FUNCTION_ENTRIES.feedbackRates.entry,
      description: 'Daily per-brand bounce and complaint rates as CloudWatch EMF metrics',
      // 256 MB: counts and a few log lines (EMF needs no CloudWatch API permission).
      memorySize: 256,
      // 2 min: reads a day of counters per brand.
      timeout: Duration.minutes(2),
      environment: env,
      deadLetterQueue: schedulerDlq,
    })
      .bindTable(table, { actions: ['GetItem', 'Query'], ...(tableKey ? { key: tableKey } : {}) })
      .bindSecrets(props.secrets);

    this.functions = { apiPublic, apiPrivileged, sesEvents, campaignWorker, scheduler, feedbackRates };

    // --- routes -------------------------------------------------------------------------------
    const publicIntegration = new HttpLambdaIntegration('PublicIntegration', apiPublic);
    const privilegedIntegration = new HttpLambdaIntegration('PrivilegedIntegration', apiPrivileged);
    new ApiRoutes(this, 'Routes', {
      api: this.api,
      stage,
      publicIntegration,
      privilegedIntegration,
      privilegedAuthorizer: new HttpIamAuthorizer(),
      throttles: settings.routeThrottles,
    });

    for (const d of settings.customDomains) {
      const domain = new DomainName(this, `Domain-${d.brand}`, {
        domainName: d.domainName,
        certificate: Certificate.fromCertificateArn(this, `Cert-${d.brand}`, d.certificateArn),
      });
      new ApiMapping(this, `Mapping-${d.brand}`, { api: this.api, domainName: domain, stage });
      new CfnOutput(this, `DnsTarget-${d.brand}`, { value: domain.regionalDomainName, description: `CNAME/ALIAS target for ${d.domainName}` });
    }

    // --- SES feedback -------------------------------------------------------------------------
    new Rule(this, 'SesEventsRule', {
      description: 'SES bounce, complaint, delivery and reject events of our configuration set',
      eventPattern: {
        source: ['aws.ses'],
        detailType: ['Email Bounced', 'Email Complaint Received', 'Email Delivered', 'Email Rejected'],
        detail: { mail: { tags: { 'ses:configuration-set': [props.configurationSet.configurationSetName] } } },
      },
      targets: [new LambdaTarget(sesEvents, { deadLetterQueue: sesEventsDlq, retryAttempts: 8, maxEventAge: Duration.hours(6) })],
    });

    // --- schedules ----------------------------------------------------------------------------
    const scheduleRole = new Role(this, 'ScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': this.account } } }),
      description: 'EventBridge Scheduler: invokes the scheduler and feedback-rates functions only',
    });
    scheduleRole.addToPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [scheduler.functionArn, feedbackRates.functionArn] }));
    scheduleRole.addToPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [schedulerDlq.queueArn] }));
    const schedule = (id: string, expression: string, fn: AppFunction, description: string) =>
      new CfnSchedule(this, id, {
        description,
        scheduleExpression: expression,
        scheduleExpressionTimezone: 'Asia/Tokyo',
        flexibleTimeWindow: { mode: 'OFF' },
        target: {
          arn: fn.functionArn,
          roleArn: scheduleRole.roleArn,
          retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
          deadLetterConfig: { arn: schedulerDlq.queueArn },
        },
      });
    schedule('InquiryHourly', 'rate(1 hour)', scheduler, 'Inquiry reminders, due dates and expiry');
    schedule('FeedbackRatesDaily', 'cron(15 0 * * ? *)', feedbackRates, 'Per-brand bounce and complaint rates of the previous day');

    // --- alarms -------------------------------------------------------------------------------
    const topic = new Topic(this, 'Alarms', { displayName: 'Privacy backend alarms', enforceSSL: true });
    if (settings.alarmEmail) topic.addSubscription(new EmailSubscription(settings.alarmEmail));
    const alarm = (id: string, metric: IMetric, threshold: number, description: string) => {
      const a = new Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(new SnsAction(topic));
      return a;
    };
    const five = Duration.minutes(5);
    alarm('Api5xx', this.api.metricServerError({ period: five, statistic: 'Sum' }), 5, 'The HTTP API answered 5 or more 5xx in 5 minutes');
    for (const [name, fn] of Object.entries(this.functions)) {
      alarm(`${name}Errors`, fn.metricErrors({ period: five, statistic: 'Sum' }), 1, `${name}: invocation errors`);
      alarm(`${name}Throttles`, fn.metricThrottles({ period: five, statistic: 'Sum' }), 1, `${name}: throttled invocations`);
    }
    for (const [name, q] of [
      ['CampaignDlq', campaignDlq],
      ['SesEventsDlq', sesEventsDlq],
      ['SchedulerDlq', schedulerDlq],
    ] as const) {
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
    for (const brand of loadBrands().list) {
      const m = (metricName: string) =>
        new Metric({ namespace: 'PrivacyBackend', metricName, dimensionsMap: { Brand: brand.id }, period: day, statistic: 'Maximum' });
      // The feedback-rates job emits percent (CloudWatch unit Percent); SES's own metrics are fractions.
      alarm(`BounceRate-${brand.id}`, m('BounceRate'), REPUTATION_THRESHOLDS.bounceRate * 100, `${brand.id}: bounce rate of the day at 4 %`);
      alarm(`ComplaintRate-${brand.id}`, m('ComplaintRate'), REPUTATION_THRESHOLDS.complaintRate * 100, `${brand.id}: complaint rate of the day at 0.08 %`);
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'AlarmTopicArn', { value: topic.topicArn });
  }
}

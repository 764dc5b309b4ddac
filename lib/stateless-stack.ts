import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { AppFunction } from './constructs/app-function';

export interface StatelessStackProps extends StackProps {
  table: ITableV2;
  secrets: ISecret;
  /** Base of every link put into an email. @default the HTTP API's URL */
  publicBaseUrl?: string;
}

/** Functions, the HTTP API and their wiring; safe to destroy and redeploy at any time. */
export class StatelessStack extends Stack {
  readonly api: HttpApi;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    this.api = new HttpApi(this, 'HttpApi', { description: 'Email preferences and privacy inquiries' });

    const apiFn = new AppFunction(this, 'ApiFunction', {
      entry: 'functions/handlers/api.ts',
      description: 'The HTTP API (Hono)',
      environment: {
        PUBLIC_BASE_URL: props.publicBaseUrl ?? this.api.apiEndpoint,
        ADMIN_AUTH: 'iam',
        SECRETS_ARN: props.secrets.secretArn,
      },
    }).bindTable(props.table, 'readWrite');
    props.secrets.grantRead(apiFn);

    this.api.addRoutes({ path: '/{proxy+}', integration: new HttpLambdaIntegration('ApiIntegration', apiFn) });
    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });

    // Privacy inquiries: the clock (reminders, expiry, the officer's digest), every 15 minutes.
    const schedulerFn = new AppFunction(this, 'InquirySchedulerFunction', {
      entry: 'functions/handlers/scheduler.ts',
      description: 'Inquiry reminders, expiry and the privacy officer digest',
      timeout: Duration.minutes(2),
      environment: { PUBLIC_BASE_URL: props.publicBaseUrl ?? this.api.apiEndpoint, SECRETS_ARN: props.secrets.secretArn },
    }).bindTable(props.table, 'readWrite');
    props.secrets.grantRead(schedulerFn);
    schedulerFn.addToRolePolicy(new PolicyStatement({ actions: ['ses:SendEmail'], resources: ['*'] }));
    new Schedule(this, 'InquirySchedule', {
      schedule: ScheduleExpression.rate(Duration.minutes(15)),
      target: new LambdaInvoke(schedulerFn),
      description: 'Privacy inquiry clock',
    });
  }
}

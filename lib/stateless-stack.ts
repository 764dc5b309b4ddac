import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IConfigurationSet } from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { loadBrands } from '../functions/config';
import { Api } from './constructs/api';
import type { AppFunction } from './constructs/app-function';
import { Campaigns } from './constructs/campaigns';
import { type FunctionContext, sesResources } from './constructs/function-context';
import { Monitoring } from './constructs/monitoring';
import { Schedules } from './constructs/schedules';
import { SesFeedback } from './constructs/ses-feedback';
import type { FunctionName } from './function-entries';
import type { DeploySettings } from './settings';

export { REPUTATION_THRESHOLDS } from './constructs/monitoring';

export interface StatelessStackProps extends StackProps {
  table: ITableV2;
  /** The table's customer-managed key, when it has one. */
  tableKey?: IKey;
  secrets: ISecret;
  /** Read by the privileged API and the scheduler only (they carry out erasures). */
  consentProofSecret: ISecret;
  configurationSet: IConfigurationSet;
  /** The console's sign-in variables, from the stateful stack's user pool. */
  consoleEnvironment: Record<string, string>;
  settings: DeploySettings;
}

/**
 * Functions, the HTTP API, queues, schedules and alarms; safe to destroy and redeploy at any time.
 * Each part is a construct of lib/constructs/; this is their wiring.
 */
export class StatelessStack extends Stack {
  readonly api: HttpApi;
  readonly functions: Record<FunctionName, AppFunction>;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const configurationSetName = props.configurationSet.configurationSetName;
    const base: FunctionContext = {
      table: props.table,
      ...(props.tableKey ? { tableKey: props.tableKey } : {}),
      secrets: props.secrets,
      consentProofSecret: props.consentProofSecret,
      environment: { SES_CONFIGURATION_SET: configurationSetName, ...settings.functionEnv },
      ...sesResources(this, settings.sendingDomains, configurationSetName),
    };

    const api = new Api(this, 'Api', {
      functions: base,
      ...(settings.publicBaseUrl ? { publicBaseUrl: settings.publicBaseUrl } : {}),
      corsOrigins: settings.corsOrigins,
      throttle: settings.throttle,
      routeThrottles: settings.routeThrottles,
      customDomains: settings.customDomains,
      transactionalSenderRoles: settings.transactionalSenderRoles,
      consoleEnvironment: props.consoleEnvironment,
    });
    // Every other function links to the same base URL as the API's.
    const functions: FunctionContext = { ...base, environment: api.environment };
    const campaigns = new Campaigns(this, 'Campaigns', { functions });
    campaigns.allowEnqueue(api.apiPrivileged);
    const sesFeedback = new SesFeedback(this, 'SesFeedback', { functions, configurationSet: props.configurationSet });
    const schedules = new Schedules(this, 'Schedules', { functions });

    this.api = api.httpApi;
    this.functions = {
      apiPublic: api.apiPublic,
      apiPrivileged: api.apiPrivileged,
      console: api.console,
      sesEvents: sesFeedback.handler,
      campaignWorker: campaigns.worker,
      scheduler: schedules.scheduler,
      feedbackRates: schedules.feedbackRates,
    };

    const monitoring = new Monitoring(this, 'Monitoring', {
      api: this.api,
      functions: this.functions,
      deadLetterQueues: {
        CampaignDlq: campaigns.deadLetterQueue,
        SesEventsDlq: sesFeedback.deadLetterQueue,
        SchedulerDlq: schedules.deadLetterQueue,
      },
      brandIds: loadBrands().list.map((b) => b.id),
      ...(settings.alarmEmail ? { alarmEmail: settings.alarmEmail } : {}),
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'AlarmTopicArn', { value: monitoring.topic.topicArn });
  }
}

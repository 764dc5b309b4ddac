import { App } from 'aws-cdk-lib';
import { StatefulStack } from '../lib/stateful-stack';
import { StatelessStack } from '../lib/stateless-stack';

/**
 * `npx cdk synth` / `npx cdk deploy --all`. Two stacks: the stateful one (table, secrets) is
 * retained and changes rarely; the stateless one (functions, API) can be replaced at will.
 */
const app = new App();
const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'ap-northeast-1' };
const stateful = new StatefulStack(app, 'PrivacyStateful', { env });
new StatelessStack(app, 'PrivacyStateless', {
  env,
  table: stateful.table,
  secrets: stateful.secrets,
  publicBaseUrl: app.node.tryGetContext('publicBaseUrl'),
});

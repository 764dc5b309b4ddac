import type { App } from 'aws-cdk-lib';
import { readSettings } from './settings';
import { StatefulStack } from './stateful-stack';
import { StatelessStack } from './stateless-stack';

/**
 * The two stacks of a deployment, wired from the app's context. `bin/app.ts` and the infra tests
 * both build through here, so the tests check what `cdk deploy` ships.
 */
export function buildStacks(app: App) {
  const settings = readSettings(app.node);
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'ap-northeast-1' };
  const stateful = new StatefulStack(app, 'PrivacyStateful', {
    env,
    customerManagedKey: settings.customerManagedKey,
    sesIdentityDomains: settings.sesIdentityDomains,
    console: settings.console,
  });
  const stateless = new StatelessStack(app, 'PrivacyStateless', {
    env,
    table: stateful.table,
    ...(stateful.tableKey ? { tableKey: stateful.tableKey } : {}),
    secrets: stateful.secrets,
    consentProofSecret: stateful.consentProofSecret,
    configurationSet: stateful.configurationSet,
    consoleEnvironment: stateful.consoleUsers.environment,
    settings,
  });
  return { settings, stateful, stateless };
}

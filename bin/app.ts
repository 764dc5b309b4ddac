import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildStacks } from '../lib/app';

/**
 * `npx cdk synth` / `npx cdk deploy --all`. Two stacks: the stateful one (table, secret, SES
 * configuration set and identities) is retained and changes rarely; the stateless one (functions,
 * API, queues, schedules, alarms) can be replaced at will. Context keys: docs/operations.md.
 * cdk-nag's AWS Solutions checks run on every synth; an unacknowledged error fails it.
 */
const app = new App();
buildStacks(app);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

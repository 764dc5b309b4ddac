import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '../../functions/store/table';
import type { AppFunction, TableAccess } from './app-function';

/** What every function of the stateless stack is built from: the stateful stack's parts and the shared settings. */
export interface FunctionContext {
  table: ITableV2;
  /** The table's customer-managed key, when it has one. @default the AWS-owned key (nothing to grant) */
  tableKey?: IKey;
  secrets: ISecret;
  /** The consent proof keys, bound only to the functions that carry out erasures (`bindConsentProofSecret`). */
  consentProofSecret: ISecret;
  /** Variables every function gets (PUBLIC_BASE_URL, SES_CONFIGURATION_SET and the deployment's own). */
  environment: Record<string, string>;
  /** SES resources `ses:SendEmail` is allowed on: the brands' identities and the configuration set. */
  sendEmailResources: string[];
  /** The account's SES templates: named per campaign at request time, so only a wildcard fits. */
  templateArn: string;
}

/** The table's two GSIs by role: open inquiries by due date (gsi1) and suppressions by brand (gsi2). */
export const [GSI_INQUIRIES, GSI_SUPPRESSIONS] = TABLE_KEYS.indexes.map((i) => i.name) as [string, string];

/** The SES ARNs of a deployment, for `FunctionContext`. */
export function sesResources(scope: Construct, sendingDomains: string[], configurationSetName: string) {
  const stack = Stack.of(scope);
  const sesArn = (resource: string, name: string) => stack.formatArn({ service: 'ses', resource, resourceName: name });
  return {
    sendEmailResources: [...sendingDomains.map((d) => sesArn('identity', d)), sesArn('configuration-set', configurationSetName)],
    templateArn: sesArn('template', '*'),
  };
}

/** Binds the table (with the key when there is one) and the secret, as every function needs both. */
export function bindData(fn: AppFunction, ctx: FunctionContext, access: Omit<TableAccess, 'key'>): AppFunction {
  return fn.bindTable(ctx.table, { ...access, ...(ctx.tableKey ? { key: ctx.tableKey } : {}) }).bindSecrets(ctx.secrets);
}

/**
 * Marketing sends with an SES template (POST /v1/sends, campaigns): SendBulkEmail is authorized on
 * the identity, the configuration set and the template; the route reads the template (it must exist
 * and, for marketing, place the footer) before sending anything, and the worker again per batch.
 */
export function allowTemplateSends(fn: AppFunction, ctx: FunctionContext): AppFunction {
  fn.allow(['ses:SendBulkEmail'], [...ctx.sendEmailResources, ctx.templateArn]).allow(['ses:GetEmailTemplate'], [ctx.templateArn]);
  if (fn.role) {
    const stack = Stack.of(fn);
    // cdk-nag names each wildcard finding by the resource it saw, so the acknowledgement names exactly that one.
    const part = (v: string, token: string) => (Token.isUnresolved(v) ? token : v);
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:${part(stack.region, '<AWS::Region>')}:${part(stack.account, '<AWS::AccountId>')}:template/*]`,
      reason:
        'SES templates are named by the send pipeline per campaign at request time, so SendBulkEmail/GetEmailTemplate cannot list them; the wildcard is limited to templates of this account and region, and the identities and configuration set stay exact.',
    });
  }
  return fn;
}

/** A dead-letter queue: kept 14 days (SQS's longest), TLS only, encrypted. */
export function deadLetterQueue(scope: Construct, id: string): Queue {
  return new Queue(scope, id, { retentionPeriod: Duration.days(14), enforceSSL: true, encryption: QueueEncryption.SQS_MANAGED });
}

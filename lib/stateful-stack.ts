import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '../functions/store/table';

/**
 * What must outlive any deployment: the table (PITR, deletion protection, retained on stack
 * deletion) and the secret holding the emailId pepper and the token keys.
 */
export class StatefulStack extends Stack {
  readonly table: TableV2;
  readonly secrets: Secret;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const s = (name: string) => ({ name, type: AttributeType.STRING });
    this.table = new TableV2(this, 'Table', {
      partitionKey: s(TABLE_KEYS.partitionKey),
      sortKey: s(TABLE_KEYS.sortKey),
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: TABLE_KEYS.ttlAttribute,
      globalSecondaryIndexes: TABLE_KEYS.indexes.map((i) => ({
        indexName: i.name,
        partitionKey: s(i.partitionKey),
        sortKey: s(i.sortKey),
        projectionType: ProjectionType.ALL,
      })),
    });

    // The pepper must never change (it keys every record); token keys rotate by adding a key id
    // and moving TOKEN_SIGNING_KEY_ID (docs/operations.md).
    this.secrets = new Secret(this, 'Secrets', {
      description: 'EMAIL_PEPPER, TOKEN_KEYS and TOKEN_SIGNING_KEY_ID for the privacy backend',
      removalPolicy: RemovalPolicy.RETAIN,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ TOKEN_SIGNING_KEY_ID: 'k1' }),
        generateStringKey: 'SEED',
        excludePunctuation: true,
        passwordLength: 64,
      },
    });
  }
}

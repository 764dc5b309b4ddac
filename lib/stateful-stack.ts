import { RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import {
  CfnConfigurationSetEventDestination,
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  DkimIdentity,
  EasyDkimSigningKeyLength,
  EmailIdentity,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '../functions/store/table';
import { ConsoleUsers } from './constructs/console-users';
import type { ConsoleSettings } from './settings';

/** SES event types forwarded to EventBridge; the ses-events function acts on bounce, complaint, delivery and reject. */
export const SES_EVENT_TYPES = ['BOUNCE', 'COMPLAINT', 'DELIVERY', 'REJECT', 'DELIVERY_DELAY', 'RENDERING_FAILURE'] as const;

export interface StatefulStackProps extends StackProps {
  /** Encrypt the table with a customer-managed KMS key (rotated yearly) instead of the AWS-owned one. @default false */
  customerManagedKey?: boolean;
  /**
   * Domains to create SES identities for (Easy DKIM, 2048-bit). An empty list creates none (identities
   * made by hand keep working: IAM is scoped by `sendingDomains` of the stateless stack).
   * @default the domains of the brands' From addresses
   */
  sesIdentityDomains?: string[];
  /** The console's sign-in (lib/settings.ts). @default threat protection on, no console URL */
  console?: ConsoleSettings;
}

/**
 * What must outlive any deployment: the table (PITR, deletion protection, retained), the secret
 * holding the emailId pepper and the token keys, the SES configuration set and identities, and
 * the console's user pool (its accounts and their MFA devices).
 */
export class StatefulStack extends Stack {
  readonly table: TableV2;
  readonly tableKey?: Key;
  readonly secrets: Secret;
  /** The consent proof keys: a secret of its own, so that only the functions given it can read it. */
  readonly consentProofSecret: Secret;
  readonly configurationSet: ConfigurationSet;
  readonly consoleUsers: ConsoleUsers;

  constructor(scope: Construct, id: string, props: StatefulStackProps = {}) {
    super(scope, id, props);
    const s = (name: string) => ({ name, type: AttributeType.STRING });

    if (props.customerManagedKey) {
      this.tableKey = new Key(this, 'TableKey', {
        description: 'Encrypts the privacy backend table',
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    }
    this.table = new TableV2(this, 'Table', {
      partitionKey: s(TABLE_KEYS.partitionKey),
      sortKey: s(TABLE_KEYS.sortKey),
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: TABLE_KEYS.ttlAttribute,
      ...(this.tableKey ? { encryption: TableEncryptionV2.customerManagedKey(this.tableKey) } : {}),
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
    Validations.of(this.secrets).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'No automatic rotation on purpose: EMAIL_PEPPER must never change (it keys every record and tombstone), and TOKEN_KEYS rotate by adding a key id while old ones keep verifying, a manual step (docs/operations.md).',
    });

    // Apart from the shared secret on purpose: the shared one is read by every function, the public
    // one included, and whatever is derived from its SEED could be derived there too.
    this.consentProofSecret = new Secret(this, 'ConsentProofSecret', {
      description: 'CONSENT_PROOF_KEYS and CONSENT_PROOF_KEY_ID: seal the proofs of consent erasures keep (privileged functions only)',
      removalPolicy: RemovalPolicy.RETAIN,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ CONSENT_PROOF_KEY_ID: 'p1' }),
        generateStringKey: 'SEED',
        excludePunctuation: true,
        passwordLength: 64,
      },
    });
    Validations.of(this.consentProofSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'No automatic rotation on purpose: a new proof key is added beside the old ones (which keep opening the proofs they sealed, for at most a few months), a manual step (docs/operations.md).',
    });

    // One configuration set for every brand (SES_CONFIGURATION_SET is one value); the brand is a
    // message tag, and the feedback-rates job turns events into per-brand metrics.
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
    });
    this.configurationSet.applyRemovalPolicy(RemovalPolicy.RETAIN);
    new CfnConfigurationSetEventDestination(this, 'ToEventBridge', {
      configurationSetName: this.configurationSet.configurationSetName,
      eventDestination: {
        enabled: true,
        matchingEventTypes: [...SES_EVENT_TYPES],
        // SES publishes only to the default bus.
        eventBridgeDestination: { eventBusArn: this.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' }) },
      },
    });

    this.consoleUsers = new ConsoleUsers(this, 'ConsoleUsers', { settings: props.console ?? { threatProtection: true } });

    for (const domain of props.sesIdentityDomains ?? []) {
      const identity = new EmailIdentity(this, `Identity-${domain}`, {
        identity: Identity.domain(domain),
        configurationSet: this.configurationSet,
        dkimSigning: true,
        dkimIdentity: DkimIdentity.easyDkim(EasyDkimSigningKeyLength.RSA_2048_BIT),
      });
      identity.applyRemovalPolicy(RemovalPolicy.RETAIN);
    }
  }
}

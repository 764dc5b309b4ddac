import { join } from 'node:path';
import { AssetHashType, DockerImage, type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Code, Function as LambdaFunction, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { readTimeouts } from '../../functions/config';
import { storeCallBudgetMs } from '../../functions/store/timeouts';
import { bundleHandlerSync, PROJECT_ROOT } from '../bundling';

export interface AppFunctionProps {
  /** Path of the handler file, relative to the project root (`functions/handlers/…`). */
  entry: string;
  description: string;
  /** Chosen per function; the reason is written beside each definition. */
  memorySize: number;
  /**
   * Chosen per function too, and at least what a call to a store that does not answer plus an SES
   * call that does not answer take with the function's timeouts (functions/config.ts), so that the
   * function ends such work itself (a 503, a reported failure) before Lambda stops it.
   */
  timeout: Duration;
  environment?: Record<string, string>;
  /** @default RetentionDays.ONE_MONTH */
  logRetention?: RetentionDays;
  /** @default no reservation */
  reservedConcurrentExecutions?: number;
  /** Where failed asynchronous invocations go (EventBridge and Scheduler targets). @default none */
  deadLetterQueue?: IQueue;
}

/** Item-level DynamoDB actions a function may be given (indexes get `Query` and `Scan`, through `indexes`). */
export type TableAction = 'GetItem' | 'BatchGetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'ConditionCheckItem' | 'BatchWriteItem';

export interface TableAccess {
  /** Actions on the table's items. TransactWriteItems needs no action of its own: each of its items is authorized as PutItem/UpdateItem/DeleteItem/ConditionCheckItem. */
  actions: TableAction[];
  /** Indexes the function reads (`dynamodb:Query` and `dynamodb:Scan` on exactly those). @default none */
  indexes?: string[];
  /** Indexes the function only queries (`dynamodb:Query` alone). @default none */
  queriedIndexes?: string[];
  /** The table's customer-managed key, when there is one. */
  key?: IKey;
}

/**
 * Every Lambda function of the backend: Node.js 22 on arm64, a minified ESM bundle with source
 * maps built by `lib/bundling.ts` (the same build `bench/bundles.ts` measures), JSON logs into an
 * explicit log group with a retention, and an execution role that holds only what the `bind…` and
 * `allow` helpers add, each an explicit statement.
 */
export class AppFunction extends LambdaFunction {
  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Our own role instead of AWSLambdaBasicExecutionRole: that managed policy may write to any log group.
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: `Execution role of ${id}` });
    role.addToPolicy(new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    const entry = props.entry;
    const { storeTimeouts, sesTimeouts } = readTimeouts(props.environment ?? {});
    const slowestFailureMs = storeCallBudgetMs(storeTimeouts) + sesTimeouts.requestMs;
    if (props.timeout.toMilliseconds() < slowestFailureMs) {
      throw new Error(
        `${id}: a timeout of ${props.timeout.toSeconds()} s is shorter than a store call and an SES call that get no answer (${slowestFailureMs} ms); raise it or lower the DYNAMODB_*/SES_* timeouts`,
      );
    }
    super(scope, id, {
      description: props.description,
      memorySize: props.memorySize,
      timeout: props.timeout,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromAsset(join(PROJECT_ROOT, 'functions'), {
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Never pulled: local bundling always succeeds or throws (no Docker needed to synthesize).
          image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
          // CDK caches staged assets by the JSON of these options, where tryBundle (a function)
          // does not appear: the entry must, or every function would get the first one's bundle.
          command: ['node', '--import', 'tsx', 'lib/bundling.ts', entry, '/asset-output'],
          local: {
            tryBundle(outputDir) {
              bundleHandlerSync(entry, outputDir);
              return true;
            },
          },
        },
      }),
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      ...(props.reservedConcurrentExecutions ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions } : {}),
      // No --enable-source-maps: Node then reads and parses the map of every chunk it loads, about
      // 10 ms of each cold start (bench/README.md), for stack traces our logs never carry (an
      // error is logged by name and code, functions/log.ts). The maps stay in the asset.
      environment: { ...props.environment },
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22 is the runtime the code is built and tested for (esbuild target node22); moving to a newer one is a deliberate upgrade.',
    });
  }

  /**
   * Sets TABLE_NAME and grants exactly the given item actions, and Query and Scan on the named
   * indexes (an erasure scans gsi1's sparse campaign entries for the person's unfinished recipients).
   */
  bindTable(table: ITableV2, access: TableAccess): this {
    this.addEnvironment('TABLE_NAME', table.tableName);
    this.allow(
      access.actions.map((a) => `dynamodb:${a}`),
      [table.tableArn],
    );
    if (access.indexes?.length) {
      this.allow(
        ['dynamodb:Query', 'dynamodb:Scan'],
        access.indexes.map((i) => `${table.tableArn}/index/${i}`),
      );
    }
    if (access.queriedIndexes?.length) {
      this.allow(
        ['dynamodb:Query'],
        access.queriedIndexes.map((i) => `${table.tableArn}/index/${i}`),
      );
    }
    if (access.key) {
      const writes = access.actions.some((a) => /Put|Update|Delete|Write/.test(a));
      this.allow(['kms:Decrypt', 'kms:DescribeKey', ...(writes ? ['kms:Encrypt', 'kms:GenerateDataKey'] : [])], [access.key.keyArn]);
    }
    return this;
  }

  /** Sets SECRETS_ARN and allows reading that one secret (once per cold start, handlers/bootstrap.ts). */
  bindSecrets(secret: ISecret): this {
    this.addEnvironment('SECRETS_ARN', secret.secretArn);
    this.allow(['secretsmanager:GetSecretValue'], [secret.secretArn]);
    return this;
  }

  /**
   * Sets CONSENT_PROOF_SECRET_ARN and allows reading that secret: only for the functions that
   * carry out erasures (the privileged API, the scheduler that finishes stopped ones).
   */
  bindConsentProofSecret(secret: ISecret): this {
    this.addEnvironment('CONSENT_PROOF_SECRET_ARN', secret.secretArn);
    this.allow(['secretsmanager:GetSecretValue'], [secret.secretArn]);
    return this;
  }

  /** One explicit Allow statement; actions are named in full (no `*`). */
  allow(actions: string[], resources: string[]): this {
    for (const a of actions) if (a.includes('*')) throw new Error(`AppFunction.allow: wildcard action ${a}`);
    this.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions, resources }));
    return this;
  }
}

import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export interface AppFunctionProps extends Omit<NodejsFunctionProps, 'runtime' | 'architecture'> {
  /** Path of the handler file under `functions/handlers/`. */
  entry: string;
  /** @default RetentionDays.ONE_MONTH */
  logRetention?: RetentionDays;
}

/**
 * Every Lambda function of the backend: Node.js 22 on arm64, a minified ESM bundle with source
 * maps, JSON logs into an explicit log group with a retention, and helpers that grant a table and
 * set its variable in one call.
 */
export class AppFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    super(scope, id, {
      memorySize: 512,
      timeout: Duration.seconds(10),
      ...props,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        target: 'node22',
        mainFields: ['module', 'main'],
        // Some dependencies are CommonJS and call require(); give the ESM bundle one.
        banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
        ...props.bundling,
      },
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
    });
  }

  /** Sets TABLE_NAME and grants exactly the data-plane access asked for. */
  bindTable(table: ITableV2, access: 'read' | 'readWrite'): this {
    this.addEnvironment('TABLE_NAME', table.tableName);
    if (access === 'read') table.grantReadData(this);
    else table.grantReadWriteData(this);
    return this;
  }
}

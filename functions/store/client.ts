import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface Db {
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  tableName: string;
}

export interface DbOptions {
  tableName: string;
  region: string;
  endpoint?: string;
  /** Extra client settings (tests inject faults through middleware on the returned client). */
  clientConfig?: Partial<DynamoDBClientConfig>;
}

/** Built once per cold start (or per test file) and passed down; nothing deeper creates a client. */
export function createDb(opts: DbOptions): Db {
  const client = new DynamoDBClient({
    region: opts.region,
    ...(opts.endpoint ? { endpoint: opts.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    maxAttempts: 3,
    ...opts.clientConfig,
  });
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return { client, doc, tableName: opts.tableName };
}

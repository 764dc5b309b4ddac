import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { STORE_TIMEOUT_DEFAULTS, type StoreTimeouts } from './timeouts';

export interface Db {
  client: DynamoDBClient;
  /** The document client over `client`: only its `send` (made on the first call, see createDb). */
  doc: Pick<DynamoDBDocumentClient, 'send'>;
  tableName: string;
}

export interface DbOptions {
  tableName: string;
  region: string;
  endpoint?: string;
  /** What one call may take (functions/config.ts reads them from the environment). @default STORE_TIMEOUT_DEFAULTS */
  timeouts?: StoreTimeouts;
  /** Extra client settings (tests inject faults through middleware on the returned client). */
  clientConfig?: Partial<DynamoDBClientConfig>;
}

/** Built once per cold start (or per test file) and passed down; nothing deeper creates a client. */
export function createDb(opts: DbOptions): Db {
  const t = opts.timeouts ?? STORE_TIMEOUT_DEFAULTS;
  const client = new DynamoDBClient({
    region: opts.region,
    ...(opts.endpoint ? { endpoint: opts.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    maxAttempts: t.maxAttempts,
    // Without throwOnRequestTimeout the SDK only logs a warning when the request timeout passes and
    // goes on waiting, up to its five-minute socket timeout.
    requestHandler: { connectionTimeout: t.connectMs, requestTimeout: t.requestMs, throwOnRequestTimeout: true },
    ...opts.clientConfig,
  });
  // The document client's package is imported on the first call through it, not at start: a
  // function whose first request is a health check never needs it (bench/README.md, "Cold start").
  let made: Promise<DynamoDBDocumentClient> | undefined;
  const docClient = () => {
    made ??= import('@aws-sdk/lib-dynamodb').then(({ DynamoDBDocumentClient }) =>
      DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } }),
    );
    made.catch(() => {
      made = undefined;
    });
    return made;
  };
  type Send = DynamoDBDocumentClient['send'];
  const doc = { send: (async (...args: Parameters<Send>) => (await docClient()).send(...args)) as Send };
  return { client, doc, tableName: opts.tableName };
}

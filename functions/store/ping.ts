import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { Db } from './client';
import { keys } from './keys';

/**
 * Answers when the table does; used by GET /health. Needs only dynamodb:GetItem. Through the
 * plain client, not the document client: a health check is a function's whole first request, and
 * so it does not load the document client (store/client.ts).
 */
export async function pingStore(db: Db): Promise<void> {
  await db.client.send(new GetItemCommand({ TableName: db.tableName, Key: { pk: { S: keys.health.pk }, sk: { S: keys.health.sk } } }));
}

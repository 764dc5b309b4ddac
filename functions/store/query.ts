import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client';

/**
 * Every item of a partition (optionally those whose sort key starts with a prefix), page after
 * page, strongly consistent. The one way the stores read a whole partition.
 */
export async function queryPartition(db: Db, pk: string, opts: { skPrefix?: string; projection?: string } = {}): Promise<Record<string, unknown>[]> {
  const input: QueryCommandInput = {
    TableName: db.tableName,
    KeyConditionExpression: opts.skPrefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
    ExpressionAttributeValues: { ':pk': pk, ...(opts.skPrefix ? { ':prefix': opts.skPrefix } : {}) },
    ...(opts.projection ? { ProjectionExpression: opts.projection } : {}),
    ConsistentRead: true,
  };
  return queryAll(db, input);
}

/** Every item a query answers, page after page (the table or an index, as `input` says). */
export async function queryAll(db: Db, input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await db.doc.send(new QueryCommand({ ...input, ExclusiveStartKey }));
    items.push(...(out.Items ?? []));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { EmailId } from '../core/email-id';
import type { Subscriber, Suppression, SuppressionReason } from '../core/subscriber';
import { batchGet } from './batch-get';
import type { Db } from './client';
import { lostRace } from './conditions';
import { keys } from './keys';
import { type SubscriberChange, subscriberWrites, type TransactItem, toSubscriber } from './subscribers';

/** One row of the suppression list: the index entry kept beside each profile (gsi2). */
export interface SuppressionEntry extends Suppression {
  emailId: EmailId;
  scope: string;
}

export type PageKey = Record<string, string>;

/** One page of the suppressions of one reason, newest first (access pattern 5). */
export async function listSuppressionPage(
  db: Db,
  reason: SuppressionReason,
  { limit, startKey }: { limit: number; startKey?: PageKey },
): Promise<{ entries: SuppressionEntry[]; nextKey?: PageKey }> {
  const out = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.suppressionPartition(reason) },
      ScanIndexForward: false,
      Limit: limit,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    }),
  );
  const entries = (out.Items ?? []).map(({ pk, sk, gsi2pk, gsi2sk, ...rest }) => rest as SuppressionEntry);
  return { entries, ...(out.LastEvaluatedKey ? { nextKey: out.LastEvaluatedKey as PageKey } : {}) };
}

/** Profiles of many addresses (`batchGet`); missing profiles are absent from the map. */
export async function getSubscribers(db: Db, emailIds: readonly EmailId[]): Promise<Map<EmailId, Subscriber>> {
  const items = await batchGet(
    db,
    [...new Set(emailIds)].map((id) => keys.subscriber(id)),
    { concurrency: 4 },
  );
  const found = new Map<EmailId, Subscriber>();
  for (const item of items) {
    const s = toSubscriber(unmarshall(item));
    found.set(s.emailId, s);
  }
  return found;
}

const MAX_TRANSACT_ITEMS = 100;

/**
 * Commits the changes of several different subscribers in one transaction (at most 100 items in
 * all). Each is conditioned on its own version as `commitSubscriber` does, so either every one
 * lands or none does; `conflict` means some record changed meanwhile (or the items would not fit
 * one transaction) and the caller applies the changes one by one instead.
 */
export async function commitSubscribersTogether(
  db: Db,
  changes: { prev: Subscriber | undefined; change: SubscriberChange }[],
): Promise<'committed' | 'conflict'> {
  const items: TransactItem[] = changes.flatMap(({ prev, change }) => subscriberWrites(db, prev, change).items);
  if (items.length === 0) return 'committed';
  // Over DynamoDB's 100 items a transaction (unsealed one-click events add to a record's share):
  // the caller applies the changes one by one, as after a conflict.
  if (items.length > MAX_TRANSACT_ITEMS) return 'conflict';
  try {
    await db.doc.send(new TransactWriteCommand({ TransactItems: items }));
    return 'committed';
  } catch (err) {
    if (lostRace(err)) {
      return 'conflict';
    }
    throw err;
  }
}

/** Whether a page key handed back by a client can be a key of this reason's index partition. */
export function isPageKeyOf(reason: SuppressionReason, key: PageKey): boolean {
  const names = Object.keys(key).sort().join(',');
  return (
    names === 'gsi2pk,gsi2sk,pk,sk' &&
    key.gsi2pk === keys.suppressionPartition(reason) &&
    key.sk?.startsWith('SUPP#') === true &&
    key.pk?.startsWith('SUB#') === true
  );
}

import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { EmailId } from '../core/email-id';
import type { Db } from './client';
import { keys } from './keys';

/**
 * A worker's claim of a chunk, found again should the worker die before settling it: one claim
 * record listing the chunk's recipients, in the sparse `CAMP#{id}#claimed` partition of gsi1 by
 * its time, written before the claims and deleted once the chunk is settled. Each recipient's own
 * claim then carries no index entry, which its settlement would have to remove inside the
 * settlement's transaction at twice the units; a record costs about a write unit for 14
 * recipients. A claim taken alone (an erasure's) is indexed on the recipient instead.
 */

export interface ClaimRecordKey {
  pk: string;
  sk: string;
}

/** Writes the record of a chunk about to be claimed (`seq` tells the chunks of one claim apart). */
export async function recordClaim(
  db: Db,
  campaignId: string,
  claim: { claimId: string; at: string; seq: number },
  emailIds: readonly EmailId[],
): Promise<ClaimRecordKey> {
  const key = keys.campaignClaimRecord(campaignId, claim.claimId, claim.seq);
  await db.doc.send(
    new PutCommand({
      TableName: db.tableName,
      Item: {
        ...key,
        ...keys.campaignStatusIndex(campaignId, 'claimed', `${claim.at}#${claim.claimId}#${claim.seq}`),
        claimId: claim.claimId,
        claimedAt: claim.at,
        emailIds: [...emailIds],
      },
    }),
  );
  return key;
}

/** Deletes a record once its chunk is settled; a record left behind is dropped by the next sweep. */
export async function dropClaimRecord(db: Db, key: ClaimRecordKey): Promise<void> {
  await db.doc.send(new DeleteCommand({ TableName: db.tableName, Key: key }));
}

/**
 * The recipients of claims taken before `before` (a worker died between claim and settlement):
 * those of stale claim records, and claims indexed on the recipient itself. The records are
 * returned too, to be dropped once their recipients are settled.
 */
export async function listStaleClaims(db: Db, campaignId: string, before: string): Promise<{ emailIds: EmailId[]; records: ClaimRecordKey[] }> {
  const emailIds = new Set<EmailId>();
  const records: ClaimRecordKey[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p AND gsi1sk < :before',
        ExpressionAttributeValues: { ':p': keys.campaignStatusIndex(campaignId, 'claimed', '').gsi1pk, ':before': before },
        ExclusiveStartKey,
      }),
    );
    for (const item of out.Items ?? []) {
      if (Array.isArray(item.emailIds)) {
        for (const id of item.emailIds) emailIds.add(id as EmailId);
        records.push({ pk: String(item.pk), sk: String(item.sk) });
      } else emailIds.add(item.emailId as EmailId);
    }
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return { emailIds: [...emailIds], records };
}

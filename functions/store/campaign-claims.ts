import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { EmailId } from '../core/email-id';
import type { Db } from './client';
import { keys } from './keys';
import { queryAll } from './query';

/**
 * A worker's claims, found again should the worker die before settling them: one claim record
 * listing the recipients of its batch (up to 50), in the sparse `CAMP#{id}#claimed` partition of
 * gsi1 by the time of its first claim, written before that claim and deleted once the batch is
 * settled. Each recipient's own claim then carries no index entry, which its settlement would
 * have to remove inside the settlement's transaction at twice the units; the record's write and
 * delete cost about a quarter of a write unit a recipient. A claim taken alone (an erasure's, or a
 * batch's with one recipient to claim) is indexed on the recipient instead. The sweep checks each listed claim's own time.
 */

export interface ClaimRecordKey {
  pk: string;
  sk: string;
}

/** A stale claim record: its key, and the claim whose recipients it lists. */
export interface StaleClaimRecord {
  key: ClaimRecordKey;
  claimId: string;
}

/** Writes the record of the recipients a worker's call may claim, before its first claim. */
export async function recordClaim(db: Db, campaignId: string, claim: { claimId: string; at: string }, emailIds: readonly EmailId[]): Promise<ClaimRecordKey> {
  const key = keys.campaignClaimRecord(campaignId, claim.claimId);
  await db.doc.send(
    new PutCommand({
      TableName: db.tableName,
      Item: {
        ...key,
        ...keys.campaignStatusIndex(campaignId, 'claimed', `${claim.at}#${claim.claimId}`),
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
 * those of claim records first written before then (some of their claims may be younger), and
 * claims indexed on the recipient itself. The records are returned too, to be dropped once none
 * of their claims is held any more.
 */
export async function listStaleClaims(db: Db, campaignId: string, before: string): Promise<{ emailIds: EmailId[]; records: StaleClaimRecord[] }> {
  const emailIds = new Set<EmailId>();
  const records: StaleClaimRecord[] = [];
  const items = await queryAll(db, {
    TableName: db.tableName,
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :p AND gsi1sk < :before',
    ExpressionAttributeValues: { ':p': keys.campaignStatusIndex(campaignId, 'claimed', '').gsi1pk, ':before': before },
  });
  for (const item of items) {
    if (Array.isArray(item.emailIds)) {
      for (const id of item.emailIds) emailIds.add(id as EmailId);
      records.push({ key: { pk: String(item.pk), sk: String(item.sk) }, claimId: String(item.claimId) });
    } else emailIds.add(item.emailId as EmailId);
  }
  return { emailIds: [...emailIds], records };
}

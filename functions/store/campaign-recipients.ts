import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { EmailId } from '../core/email-id';
import type { SkipReason } from '../core/recipient-filter';
import { batchGet } from './batch-get';
import { finishRecipients, type SettlementTarget, settleSkippedRecipients } from './campaign-settlements';
import type { FinalResult, RecipientRecord } from './campaigns';
import type { Db } from './client';
import { keys } from './keys';

/**
 * A campaign's recipients once stored (campaign-intake.ts adds them): found, claimed exactly once,
 * and settled. Every settlement moves the recipient's count from `pending` to its final status in
 * the same transaction as the recipient item (campaign-settlements.ts, many at once).
 */

/** One page of a campaign's pending recipients and where the next starts (`undefined`: the last page). */
export interface PendingPage {
  ids: EmailId[];
  next?: Record<string, unknown>;
}

/**
 * A page of the campaign's recipients still `pending`: a consistent Query of its partition's
 * `RCPT#` items, filtered (pending recipients have no index entry; settled ones are read and
 * dropped, so this is for the runs that take a whole campaign, not the queue's named work).
 */
export async function pagePendingRecipients(db: Db, campaignId: string, start?: Record<string, unknown>): Promise<PendingPage> {
  const camp = keys.campaignRecipient(campaignId, '');
  const out = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rcpt)',
      FilterExpression: '#s = :pending',
      ProjectionExpression: 'emailId',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':pk': camp.pk, ':rcpt': camp.sk, ':pending': 'pending' },
      ConsistentRead: true,
      Limit: 1000,
      ...(start ? { ExclusiveStartKey: start } : {}),
    }),
  );
  return { ids: (out.Items ?? []).map((i) => i.emailId as EmailId), ...(out.LastEvaluatedKey ? { next: out.LastEvaluatedKey } : {}) };
}

/** The stored recipient items of a campaign (consistent), for the worker's batch. */
export async function readRecipients(db: Db, campaignId: string, emailIds: readonly EmailId[]): Promise<Map<EmailId, RecipientRecord>> {
  // A read that cannot finish fails whole: the caller's work comes back (SQS redelivery, in-process retry).
  const items = await batchGet(
    db,
    emailIds.map((id) => keys.campaignRecipient(campaignId, id)),
  );
  const found = new Map<EmailId, RecipientRecord>();
  for (const item of items) {
    const record = unmarshall(item) as RecipientRecord;
    found.set(record.emailId, record);
  }
  return found;
}

export type ClaimOutcome = { claimed: true } | { claimed: false; existing: RecipientRecord };

/**
 * The claim: absent or `pending` → `claimed`, conditionally, so exactly one caller wins. The
 * loser gets the item as it is (a final result, or someone else's claim). Indexed in gsi1 (so that
 * it is found should its holder die) unless a claim record of the holder lists it.
 */
export async function claimRecipient(
  db: Db,
  campaignId: string,
  emailId: EmailId,
  claim: { claimId: string; at: string /** A claim record (campaign-claims.ts) lists it: no index entry of its own. */; recorded?: boolean },
): Promise<ClaimOutcome> {
  const index = claim.recorded ? undefined : keys.campaignStatusIndex(campaignId, 'claimed', `${claim.at}#${emailId}`);
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: keys.campaignRecipient(campaignId, emailId),
        UpdateExpression: `SET #s = :claimed, emailId = :id, claimId = :cid, claimedAt = :at${index ? ', gsi1pk = :gpk, gsi1sk = :gsk' : ''}`,
        ConditionExpression: 'attribute_not_exists(pk) OR #s = :pending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':claimed': 'claimed',
          ':pending': 'pending',
          ':id': emailId,
          ':cid': claim.claimId,
          ':at': claim.at,
          ...(index ? prefixed(index) : {}),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { claimed: true };
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException && err.Item) {
      return { claimed: false, existing: unmarshall(err.Item) as RecipientRecord };
    }
    throw err;
  }
}

const prefixed = (k: { gsi1pk: string; gsi1sk: string }) => ({ ':gpk': k.gsi1pk, ':gsk': k.gsi1sk });

/** Gives a claim back (the batch failed before anything was sent), so a retry can take it. */
export async function releaseClaim(db: Db, campaignId: string, emailId: EmailId, claimId: string): Promise<void> {
  await db.doc
    .send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: keys.campaignRecipient(campaignId, emailId),
        UpdateExpression: 'SET #s = :pending REMOVE claimId, claimedAt, gsi1pk, gsi1sk',
        ConditionExpression: '#s = :claimed AND claimId = :cid',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':pending': 'pending', ':claimed': 'claimed', ':cid': claimId },
      }),
    )
    // Best effort: a claim that cannot be given back is reported `interrupted` later, never sent.
    .catch(() => {});
}

/**
 * Records a recipient's final result (finishRecipients, for one): conditioned on still holding
 * the claim, so a result is written once. `false`, and nothing written, when the claim is gone.
 */
export async function finishRecipient(
  db: Db,
  campaign: SettlementTarget,
  emailId: EmailId,
  claimId: string | undefined,
  result: FinalResult,
  at: string,
): Promise<boolean> {
  return (await finishRecipients(db, campaign, claimId, [{ emailId, result }], at)).has(emailId);
}

/**
 * Settles a recipient still `pending` (never claimed, so never sent) as `skipped` for `reason`,
 * e.g. `erased` when the person is erased before the campaign reaches them: the recipient item
 * and the move of its count from `pending` to `skipped` (and `skippedBy.{reason}`) in one
 * transaction, conditioned on `pending`. `false`, and nothing written, when the recipient is
 * absent, claimed (a worker is sending it now) or already final.
 */
export async function settleRecipient(db: Db, campaignId: string, emailId: EmailId, reason: SkipReason, at: string): Promise<boolean> {
  return (await settleSkippedRecipients(db, campaignId, [{ emailId, reason }], at)).has(emailId);
}

import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { EmailId } from '../core/email-id';
import type { SendCategory, SkipReason } from '../core/recipient-filter';
import { batchGet } from './batch-get';
import { countUpdate, shardOf, writeTransaction } from './campaign-counts';
import type { FinalResult, RecipientRecord } from './campaigns';
import type { Db } from './client';
import { keys } from './keys';
import type { TransactItem } from './subscribers';

/**
 * A campaign's recipients once stored (campaign-intake.ts adds them): found, claimed exactly once,
 * and settled. Every settlement moves the recipient's one count from `pending` to its final
 * status in the same transaction as the recipient item, on the shard of its emailId.
 */

/** Recipients still waiting, from the sparse index (eventually consistent: the claim re-checks). */
export async function listPendingRecipients(db: Db, campaignId: string, limit: number): Promise<EmailId[]> {
  const out = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.campaignStatusIndex(campaignId, 'pending', '').gsi1pk },
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map((i) => i.emailId as EmailId);
}

/** Claims held since before `before` (a worker died between claim and send). */
export async function listStaleClaims(db: Db, campaignId: string, before: string): Promise<EmailId[]> {
  const out = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p AND gsi1sk < :before',
      ExpressionAttributeValues: { ':p': keys.campaignStatusIndex(campaignId, 'claimed', '').gsi1pk, ':before': before },
    }),
  );
  return (out.Items ?? []).map((i) => i.emailId as EmailId);
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
 * loser gets the item as it is (a final result, or someone else's claim).
 */
export async function claimRecipient(db: Db, campaignId: string, emailId: EmailId, claim: { claimId: string; at: string }): Promise<ClaimOutcome> {
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: keys.campaignRecipient(campaignId, emailId),
        UpdateExpression: 'SET #s = :claimed, emailId = :id, claimId = :cid, claimedAt = :at, gsi1pk = :gpk, gsi1sk = :gsk',
        ConditionExpression: 'attribute_not_exists(pk) OR #s = :pending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':claimed': 'claimed',
          ':pending': 'pending',
          ':id': emailId,
          ':cid': claim.claimId,
          ':at': claim.at,
          ...prefixed(keys.campaignStatusIndex(campaignId, 'claimed', `${claim.at}#${emailId}`)),
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
        UpdateExpression: 'SET #s = :pending, gsi1pk = :gpk, gsi1sk = :gsk REMOVE claimId, claimedAt',
        ConditionExpression: '#s = :claimed AND claimId = :cid',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':pending': 'pending',
          ':claimed': 'claimed',
          ':cid': claimId,
          ...prefixed(keys.campaignStatusIndex(campaignId, 'pending', emailId)),
        },
      }),
    )
    // Best effort: a claim that cannot be given back is reported `interrupted` later, never sent.
    .catch(() => {});
}

/**
 * Records a recipient's final result, in one transaction with the campaign's counters (when the
 * campaign has them) and, for a sent mail, the send record under the address (access pattern 3:
 * brand, topic, category, a transactional mail's purpose, campaign and message id).
 * Conditioned on still holding the claim, so a result is written once.
 */
export async function finishRecipient(
  db: Db,
  campaign: { campaignId: string; brand: string; topic?: string | undefined; category: SendCategory; purpose?: string | undefined; counters: boolean },
  emailId: EmailId,
  claimId: string | undefined,
  result: FinalResult,
  at: string,
): Promise<boolean> {
  const items: TransactItem[] = [
    {
      Update: {
        TableName: db.tableName,
        Key: keys.campaignRecipient(campaign.campaignId, emailId),
        UpdateExpression: `SET #s = :s, finishedAt = :at${result.status === 'sent' ? ', messageId = :mid' : ', reason = :r'} REMOVE email, #d, gsi1pk, gsi1sk`,
        ConditionExpression: claimId ? '#s = :claimed AND claimId = :cid' : '#s = :claimed',
        ExpressionAttributeNames: { '#s': 'status', '#d': 'data' },
        ExpressionAttributeValues: {
          ':s': result.status,
          ':at': at,
          ':claimed': 'claimed',
          ...(claimId ? { ':cid': claimId } : {}),
          ...(result.status === 'sent' ? { ':mid': result.messageId } : { ':r': result.reason }),
        },
      },
    },
  ];
  if (campaign.counters) items.push(countUpdate(db, campaign.campaignId, shardOf(emailId), settledMove(result)));
  if (result.status === 'sent') {
    items.push({
      Put: {
        TableName: db.tableName,
        Item: {
          ...keys.sendRecord(emailId, at, campaign.campaignId),
          at,
          brand: campaign.brand,
          ...(campaign.topic !== undefined ? { topic: campaign.topic } : {}),
          category: campaign.category,
          // What a transactional mail, sent without consent, was for (CONTRACT.md "Sending").
          ...(campaign.purpose !== undefined ? { purpose: campaign.purpose } : {}),
          campaignId: campaign.campaignId,
          messageId: result.messageId,
        },
      },
    });
  }
  return settle(db, items);
}

/**
 * Settles a recipient still `pending` (never claimed, so never sent) as `skipped` for `reason`,
 * e.g. `erased` when the person is erased before the campaign reaches them: the recipient item
 * and the move of its count from `pending` to `skipped` (and `skippedBy.{reason}`) in one
 * transaction, conditioned on `pending`. `false`, and nothing written, when the recipient is
 * absent, claimed (a worker is sending it now) or already final.
 */
export async function settleRecipient(db: Db, campaignId: string, emailId: EmailId, reason: SkipReason, at: string): Promise<boolean> {
  return settle(db, [
    skipUpdate(db, campaignId, emailId, reason, at),
    countUpdate(db, campaignId, shardOf(emailId), settledMove({ status: 'skipped', reason })),
  ]);
}

/**
 * Settles many recipients still `pending` as `skipped`, each with its reason, in transactions of
 * up to 99 recipients and one counter move for them all: the worker's batch of skipped costs one
 * write instead of a claim and a settlement each. Returns those settled. Should one of a group no
 * longer be `pending` (claimed or settled meanwhile), the group is settled one by one instead, and
 * that one is left to whoever holds it.
 */
export async function settleSkippedRecipients(
  db: Db,
  campaignId: string,
  skipped: readonly { emailId: EmailId; reason: SkipReason }[],
  at: string,
): Promise<Set<EmailId>> {
  const settled = new Set<EmailId>();
  for (let i = 0; i < skipped.length; i += 99) {
    const group = skipped.slice(i, i + 99);
    const skippedBy: Record<string, number> = {};
    for (const r of group) skippedBy[r.reason] = (skippedBy[r.reason] ?? 0) + 1;
    const items: TransactItem[] = group.map((r) => skipUpdate(db, campaignId, r.emailId, r.reason, at));
    items.push(countUpdate(db, campaignId, shardOf(group[0]?.emailId ?? ''), { pending: -group.length, skipped: group.length, skippedBy }));
    try {
      await writeTransaction(db, items);
      for (const r of group) settled.add(r.emailId);
    } catch (err) {
      const conditionFailed = err instanceof TransactionCanceledException && (err.CancellationReasons ?? []).some((c) => c.Code === 'ConditionalCheckFailed');
      if (!conditionFailed) throw err;
      for (const r of group) if (await settleRecipient(db, campaignId, r.emailId, r.reason, at)) settled.add(r.emailId);
    }
  }
  return settled;
}

const skipUpdate = (db: Db, campaignId: string, emailId: EmailId, reason: SkipReason, at: string): TransactItem => ({
  Update: {
    TableName: db.tableName,
    Key: keys.campaignRecipient(campaignId, emailId),
    UpdateExpression: 'SET #s = :skipped, reason = :r, finishedAt = :at REMOVE email, #d, gsi1pk, gsi1sk',
    ConditionExpression: '#s = :pending',
    ExpressionAttributeNames: { '#s': 'status', '#d': 'data' },
    ExpressionAttributeValues: { ':skipped': 'skipped', ':pending': 'pending', ':r': reason, ':at': at },
  },
});

/** One recipient's count, from `pending` to its final status. */
const settledMove = (result: FinalResult) => ({
  pending: -1,
  [result.status]: 1,
  ...(result.status === 'skipped' ? { skippedBy: { [result.reason]: 1 } } : {}),
});

/** The transaction of a settlement whose first item is the recipient's; `false` when its condition failed. */
async function settle(db: Db, items: TransactItem[]): Promise<boolean> {
  try {
    await writeTransaction(db, items);
    return true;
  } catch (err) {
    if (err instanceof TransactionCanceledException && err.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
    throw err;
  }
}

import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, ScanCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { EmailId } from '../core/email-id';
import { UnavailableError, ValidationError } from '../core/errors';
import type { SendCategory, SkipReason } from '../core/recipient-filter';
import type { Db } from './client';
import { keys } from './keys';
import type { TransactItem } from './subscribers';

/**
 * Campaigns and the exactly-once claim of each recipient (access pattern 6). A recipient item
 * moves `pending` → `claimed` → `sent` / `skipped` / `failed`; only the conditional claim lets a
 * send happen, so retries, redeliveries and repeated calls never send twice.
 */
export type MailContent = { template: { name: string } } | { content: { subject: string; html?: string; text: string } };

export interface CampaignDefinition {
  campaignId: string;
  brand: string;
  topic: string;
  category: SendCategory;
  mail: MailContent;
}

export interface CampaignProgress extends CampaignDefinition {
  counts: { accepted: number; pending: number; sent: number; skipped: number; failed: number };
  skippedBy: Record<string, number>;
  duplicates: number;
}

export type RecipientStatus = 'pending' | 'claimed' | 'sent' | 'skipped' | 'failed';

export interface RecipientRecord {
  emailId: EmailId;
  status: RecipientStatus;
  email?: string;
  data?: Record<string, string>;
  claimId?: string;
  claimedAt?: string;
  reason?: string;
  messageId?: string;
}

export type FinalResult = { status: 'sent'; messageId: string } | { status: 'skipped'; reason: SkipReason } | { status: 'failed'; reason: string };

/**
 * Creates the campaign's META on its first call; later calls must name the same brand, topic and
 * category (the mail of the first call stays).
 */
export async function defineCampaign(db: Db, def: CampaignDefinition, at: string): Promise<void> {
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: keys.campaignMeta(def.campaignId),
        UpdateExpression:
          'SET brand = if_not_exists(brand, :b), topic = if_not_exists(topic, :t), category = if_not_exists(category, :c), mail = if_not_exists(mail, :m), createdAt = if_not_exists(createdAt, :at), skippedBy = if_not_exists(skippedBy, :empty) ADD accepted :zero, pending :zero, sent :zero, skipped :zero, failed :zero, duplicates :zero',
        ConditionExpression: 'attribute_not_exists(pk) OR (brand = :b AND topic = :t AND category = :c)',
        ExpressionAttributeValues: { ':b': def.brand, ':t': def.topic, ':c': def.category, ':m': def.mail, ':at': at, ':empty': {}, ':zero': 0 },
      }),
    );
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) {
      throw new ValidationError('This campaign was started for another brand, topic or category.', [
        { path: 'campaignId', message: 'already used for another brand, topic or category' },
      ]);
    }
    throw err;
  }
}

/** Stores one recipient as `pending`; `false` when the campaign already has this address. */
export async function addRecipient(
  db: Db,
  campaignId: string,
  r: { emailId: EmailId; email: string; data?: Record<string, string> },
  at: string,
): Promise<boolean> {
  try {
    await db.doc.send(
      new PutCommand({
        TableName: db.tableName,
        Item: {
          ...keys.campaignRecipient(campaignId, r.emailId),
          ...keys.campaignStatusIndex(campaignId, 'pending', r.emailId),
          emailId: r.emailId,
          status: 'pending',
          // The address in clear stays only until the recipient is done (see finishRecipient).
          email: r.email,
          ...(r.data ? { data: r.data } : {}),
          acceptedAt: at,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/** Adds to the campaign's counters (accepted, duplicates, early skips such as invalid addresses). */
export async function countAccepted(db: Db, campaignId: string, n: { accepted: number; duplicates: number; invalid: number }): Promise<void> {
  await db.doc.send(
    new UpdateCommand({
      TableName: db.tableName,
      Key: keys.campaignMeta(campaignId),
      UpdateExpression: 'ADD accepted :acc, pending :pend, duplicates :dup, skipped :inv, skippedBy.#inv :inv',
      ExpressionAttributeNames: { '#inv': 'invalid-address' },
      ExpressionAttributeValues: { ':acc': n.accepted + n.invalid, ':pend': n.accepted, ':dup': n.duplicates, ':inv': n.invalid },
    }),
  );
}

export async function getCampaign(db: Db, campaignId: string): Promise<CampaignProgress | undefined> {
  const out = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.campaignMeta(campaignId), ConsistentRead: true }));
  const m = out.Item;
  if (!m) return undefined;
  return {
    campaignId,
    brand: m.brand,
    topic: m.topic,
    category: m.category,
    mail: m.mail,
    counts: { accepted: m.accepted ?? 0, pending: m.pending ?? 0, sent: m.sent ?? 0, skipped: m.skipped ?? 0, failed: m.failed ?? 0 },
    skippedBy: m.skippedBy ?? {},
    duplicates: m.duplicates ?? 0,
  };
}

/**
 * Campaigns that still have recipients pending or claimed, from the sparse status index (a scan:
 * only the local stack needs this, at start, because its in-process queue loses the work of a
 * stopped process; in AWS, SQS keeps it).
 */
export async function findUnfinishedCampaigns(db: Db): Promise<string[]> {
  const ids = new Set<string>();
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await db.doc.send(
      new ScanCommand({
        TableName: db.tableName,
        IndexName: 'gsi1',
        FilterExpression: 'begins_with(gsi1pk, :camp)',
        ProjectionExpression: 'gsi1pk',
        ExpressionAttributeValues: { ':camp': 'CAMP#' },
        ExclusiveStartKey,
      }),
    );
    for (const item of out.Items ?? []) {
      const m = /^CAMP#(.+)#(?:pending|claimed)$/.exec(String(item.gsi1pk));
      if (m?.[1]) ids.add(m[1]);
    }
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return [...ids];
}

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
  const found = new Map<EmailId, RecipientRecord>();
  for (let i = 0; i < emailIds.length; i += 100) {
    let req: Record<string, unknown>[] = emailIds.slice(i, i + 100).map((id) => keys.campaignRecipient(campaignId, id));
    for (let attempt = 0; req.length > 0 && attempt < 10; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      const out = await db.doc.send(new BatchGetCommand({ RequestItems: { [db.tableName]: { Keys: req, ConsistentRead: true } } }));
      for (const item of out.Responses?.[db.tableName] ?? []) found.set(item.emailId, item as RecipientRecord);
      req = (out.UnprocessedKeys?.[db.tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
    // Never a silent gap: the caller's work fails and comes back (SQS redelivery, in-process retry).
    if (req.length > 0) throw new UnavailableError('Campaign recipients could not be read; try again.', 5);
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
 * campaign has them) and, for a sent mail, the send record under the address (access pattern 3).
 * Conditioned on still holding the claim, so a result is written once.
 */
export async function finishRecipient(
  db: Db,
  campaign: { campaignId: string; brand: string; topic: string; category: SendCategory; counters: boolean },
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
  if (campaign.counters) {
    items.push({
      Update: {
        TableName: db.tableName,
        Key: keys.campaignMeta(campaign.campaignId),
        UpdateExpression: `ADD pending :minus, #st :one${result.status === 'skipped' ? ', skippedBy.#r :one' : ''}`,
        ExpressionAttributeNames: { '#st': result.status, ...(result.status === 'skipped' ? { '#r': result.reason } : {}) },
        ExpressionAttributeValues: { ':minus': -1, ':one': 1 },
      },
    });
  }
  if (result.status === 'sent') {
    items.push({
      Put: {
        TableName: db.tableName,
        Item: {
          ...keys.sendRecord(emailId, at, campaign.campaignId),
          at,
          brand: campaign.brand,
          topic: campaign.topic,
          category: campaign.category,
          campaignId: campaign.campaignId,
          messageId: result.messageId,
        },
      },
    });
  }
  try {
    await db.doc.send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (err) {
    if (err instanceof TransactionCanceledException && err.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
    throw err;
  }
}

import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { forEachConcurrently } from '../core/concurrency';
import type { EmailId } from '../core/email-id';
import { readCampaignCounts } from './campaign-counts';
import { listCampaignPage } from './campaigns';
import type { Db } from './client';
import { keys } from './keys';

/**
 * Campaigns that still have recipients pending or claimed. A claim has its sparse gsi1 entry; a
 * pending recipient has none (it would double the intake's write units), so the campaigns are
 * read too: their counts (claims count as pending until settled) or the address's recipient item
 * in each. Both readers are rare: the local stack's start, and erasures.
 */

/**
 * Every campaign with a recipient pending or claimed (the local stack at start, because its
 * in-process queue loses the work of a stopped process; in AWS, SQS keeps it): each listed
 * campaign whose counts have one pending, and the campaigns of the claims in gsi1 (also those of
 * `POST /v1/sends`, which has no campaign record).
 */
export async function findUnfinishedCampaigns(db: Db): Promise<string[]> {
  const ids = new Set(await indexedCampaigns(db));
  for (const campaignId of await listedCampaigns(db)) {
    if (ids.has(campaignId)) continue;
    const counts = await readCampaignCounts(db, campaignId);
    if ((counts?.counts.pending ?? 0) > 0) ids.add(campaignId);
  }
  return [...ids];
}

/**
 * The campaigns in which this address is still pending or claimed (an erasure): its recipient
 * item read in every listed campaign, and its claims in gsi1.
 */
export async function campaignsWithUnfinishedRecipients(db: Db, emailId: EmailId): Promise<string[]> {
  const ids = new Set(await indexedCampaigns(db, emailId));
  // GetItem, not BatchGetItem: the scheduler, which finishes stopped erasures, has no right to the latter.
  await forEachConcurrently(await listedCampaigns(db), 8, async (campaignId) => {
    const out = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.campaignRecipient(campaignId, emailId), ConsistentRead: true }));
    if (out.Item?.status === 'pending' || out.Item?.status === 'claimed') ids.add(campaignId);
  });
  return [...ids];
}

async function listedCampaigns(db: Db): Promise<string[]> {
  const ids: string[] = [];
  let startKey: Record<string, string> | undefined;
  do {
    const page = await listCampaignPage(db, { limit: 500, ...(startKey ? { startKey } : {}) });
    ids.push(...page.items.map((c) => c.campaignId));
    startKey = page.nextKey;
  } while (startKey);
  return ids;
}

/**
 * The campaigns of the recipients in gsi1 (claim records, claims taken alone, and `pending`
 * entries of recipients stored before the intake stopped writing them), optionally only those of
 * one address: one scan of the sparse index, page by page.
 */
async function indexedCampaigns(db: Db, emailId?: EmailId): Promise<string[]> {
  const ids = new Set<string>();
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await db.doc.send(
      new ScanCommand({
        TableName: db.tableName,
        IndexName: 'gsi1',
        // A claim record lists its recipients; a claim taken alone is the recipient's own entry.
        FilterExpression: emailId ? 'begins_with(gsi1pk, :camp) AND (emailId = :id OR contains(emailIds, :id))' : 'begins_with(gsi1pk, :camp)',
        ProjectionExpression: 'gsi1pk',
        ExpressionAttributeValues: { ':camp': 'CAMP#', ...(emailId ? { ':id': emailId } : {}) },
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

import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { EmailId } from '../core/email-id';
import type { Db } from './client';
import { conditionFailed } from './conditions';
import { keys } from './keys';
import { campaignsWithUnfinishedRecipients } from './unfinished-campaigns';

/**
 * Campaign recipients keep the address and their `data` in clear while `pending` or `claimed`
 * (store/campaigns.ts); an erasure cannot wait for the worker to reach them. Settling them goes
 * through the worker's own claim and finish; these are the two things it does not have.
 */

/**
 * The campaigns in which the address is still pending or claimed (access pattern 6e): its
 * recipient item read in every campaign, and a scan of gsi1 for its claims. Only erasures, which
 * are rare, read it; its cost is the number of campaigns and the size of gsi1 (inquiries and claims).
 */
export function findCampaignsHolding(db: Db, emailId: EmailId): Promise<string[]> {
  return campaignsWithUnfinishedRecipients(db, emailId);
}

/**
 * Removes the address and data from a recipient a live worker has claimed: the worker already
 * holds what it needs and records its result as usual. Nothing when the claim is gone (the
 * worker finished, which removed them itself).
 */
export async function stripClaimedRecipient(db: Db, campaignId: string, emailId: EmailId, claimId: string): Promise<void> {
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: keys.campaignRecipient(campaignId, emailId),
        UpdateExpression: 'REMOVE email, #d',
        ConditionExpression: '#s = :claimed AND claimId = :cid',
        ExpressionAttributeNames: { '#s': 'status', '#d': 'data' },
        ExpressionAttributeValues: { ':claimed': 'claimed', ':cid': claimId },
      }),
    );
  } catch (err) {
    if (!conditionFailed(err)) throw err;
  }
}

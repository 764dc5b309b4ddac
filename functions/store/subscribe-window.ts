import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from '../core/clock';
import type { EmailId } from '../core/email-id';
import type { Db } from './client';
import { conditionFailed } from './conditions';
import { keys } from './keys';

/**
 * The subscribe window (docs/data-model.md "Subscribe window"): at most one confirmation mail per
 * address and brand within the window. Claimed with a conditional put; TTL deletion is lazy, so
 * an item whose `expiresAt` has passed counts as free.
 */
export async function claimSubscribeWindow(db: Db, emailId: EmailId, brand: string, now: Date, seconds: number): Promise<boolean> {
  const nowS = epochSeconds(now);
  try {
    await db.doc.send(
      new PutCommand({
        TableName: db.tableName,
        Item: { ...keys.subscribeWindow(emailId, brand), brand, expiresAt: nowS + seconds },
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
        ExpressionAttributeValues: { ':now': nowS },
      }),
    );
    return true;
  } catch (err) {
    if (conditionFailed(err)) return false;
    throw err;
  }
}

/** Gives the window back when the mail it was claimed for could not be sent. */
export async function releaseSubscribeWindow(db: Db, emailId: EmailId, brand: string): Promise<void> {
  await db.doc.send(new DeleteCommand({ TableName: db.tableName, Key: keys.subscribeWindow(emailId, brand) }));
}

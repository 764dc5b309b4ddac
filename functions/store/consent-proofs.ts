import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from '../core/clock';
import type { SealedProof } from '../core/consent-proof';
import type { EmailId } from '../core/email-id';
import type { Db } from './client';
import { conditionFailed } from './conditions';
import { keys } from './keys';

/**
 * The sealed proofs of consent that erasures keep (`PROOF#{emailId}` / `PROOF`): the ciphertext,
 * its key id and IV, and `deleteAfter`, with TTL on `expiresAt` at that time. TTL deletes late,
 * so every read treats a proof past `deleteAfter` as gone.
 */
export interface StoredConsentProof {
  sealed: SealedProof;
  deleteAfter: string;
}

/**
 * Writes the proof and records on the `ERASURE` item that this step is done, in one transaction.
 * A proof already held and not expired is kept (`false`, nothing written), and so is everything
 * when the erasure's record is gone (another run completed it).
 */
export async function putConsentProof(
  db: Db,
  input: { emailId: EmailId; reference: string; sealed: SealedProof; deleteAfter: Date; at: Date },
): Promise<boolean> {
  const { keyId, iv, tag, ciphertext } = input.sealed;
  try {
    await db.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: db.tableName,
              Item: {
                ...keys.consentProof(input.emailId),
                keyId,
                iv,
                tag,
                ciphertext,
                deleteAfter: input.deleteAfter.toISOString(),
                expiresAt: epochSeconds(input.deleteAfter),
              },
              ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
              ExpressionAttributeValues: { ':now': epochSeconds(input.at) },
            },
          },
          {
            Update: {
              TableName: db.tableName,
              Key: keys.erasureBegun(input.reference),
              UpdateExpression: 'SET proofSealedAt = :at',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':at': input.at.toISOString() },
            },
          },
        ],
      }),
    );
    return true;
  } catch (err) {
    if (conditionFailed(err)) return false;
    throw err;
  }
}

const live = (item: Record<string, unknown> | undefined, now: Date) =>
  item !== undefined && typeof item.deleteAfter === 'string' && new Date(item.deleteAfter).getTime() > now.getTime();

/** The sealed proof held for the address, unless there is none or it is past `deleteAfter`. */
export async function getConsentProof(db: Db, emailId: EmailId, now: Date): Promise<StoredConsentProof | undefined> {
  const { Item } = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.consentProof(emailId) }));
  if (!live(Item, now)) return undefined;
  const { keyId, iv, tag, ciphertext, deleteAfter } = Item as Record<string, string>;
  return { sealed: { keyId: String(keyId), iv: String(iv), tag: String(tag), ciphertext: String(ciphertext) }, deleteAfter: String(deleteAfter) };
}

/** Only whether a proof is held and until when: the ciphertext is not even read. */
export async function getConsentProofHold(db: Db, emailId: EmailId, now: Date): Promise<{ deleteAfter: string } | undefined> {
  const { Item } = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.consentProof(emailId), ProjectionExpression: 'deleteAfter' }));
  return live(Item, now) ? { deleteAfter: String(Item?.deleteAfter) } : undefined;
}

/**
 * Moves the proof's deletion later (never earlier): a mail a live worker may still send after the
 * proof was sealed. Nothing when no proof is held or it already goes later.
 */
export async function extendConsentProof(db: Db, emailId: EmailId, deleteAfter: Date): Promise<void> {
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: keys.consentProof(emailId),
        UpdateExpression: 'SET deleteAfter = :d, expiresAt = :e',
        ConditionExpression: 'attribute_exists(pk) AND deleteAfter < :d',
        ExpressionAttributeValues: { ':d': deleteAfter.toISOString(), ':e': epochSeconds(deleteAfter) },
      }),
    );
  } catch (err) {
    if (!conditionFailed(err)) throw err;
  }
}

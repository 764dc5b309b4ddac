import { DeleteCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { EmailId } from '../core/email-id';
import { UnavailableError } from '../core/errors';
import { isRedacted, redactEvent } from '../core/ledger';
import type { Db } from './client';
import { conditionFailed, lostRace } from './conditions';
import { keys } from './keys';
import { queryPartition } from './query';
import { listLedger, type TransactItem } from './subscribers';

/**
 * The parts of an erasure that `updateSubscriber` does not do: the ledger's details, the
 * per-address items that only exist to send (send records, subscribe windows, bounce counters),
 * and the record that an erasure began (who asked, the officer's note, the completion mail's
 * claim), kept until the transaction that completes the inquiry deletes it. Every step is
 * idempotent, so that a run that stopped midway is finished by running it again.
 */

/** Replaces each event's content by its redacted form; the hash chain stays verifiable. */
export async function redactLedger(db: Db, emailId: EmailId, keep: (type: string) => boolean): Promise<number> {
  let n = 0;
  for (const e of await listLedger(db, emailId)) {
    if (isRedacted(e) || keep(e.type)) continue;
    await db.doc.send(new PutCommand({ TableName: db.tableName, Item: { ...keys.ledgerEvent(emailId, e.seq), ...redactEvent(e) } }));
    n++;
  }
  return n;
}

const DISPOSABLE = ['SEND#', 'WINDOW#', 'SOFTBOUNCE'];

/**
 * Deletes send records, subscribe windows and soft-bounce counters of the address, 100 to a
 * transaction: each delete is authorized as DeleteItem, so the scheduler, which finishes stopped
 * erasures, needs no batch-write right.
 */
export async function deleteSendingItems(db: Db, emailId: EmailId): Promise<number> {
  const doomed = (await queryPartition(db, keys.subscriberPartition(emailId), { projection: 'pk, sk' }))
    .filter((item) => DISPOSABLE.some((p) => String(item.sk).startsWith(p)))
    .map((item) => ({ pk: String(item.pk), sk: String(item.sk) }));
  for (let i = 0; i < doomed.length; i += 100) {
    const TransactItems = doomed.slice(i, i + 100).map((Key): TransactItem => ({ Delete: { TableName: db.tableName, Key } }));
    try {
      await db.doc.send(new TransactWriteCommand({ TransactItems }));
    } catch (err) {
      // Another write held one of the items (a soft bounce counted just now): a 503, and the
      // re-run or the scheduler deletes what is left.
      if (lostRace(err)) throw new UnavailableError(undefined, 2, { cause: err });
      throw err;
    }
  }
  return doomed.length;
}

/** An erasure that began: enough to finish it without the officer. Holds nothing of the person but the keyed hash. */
export interface BegunErasure {
  reference: string;
  emailId: EmailId;
  by: string;
  note?: string;
  startedAt: string;
  /** Set while the completion mail is being sent or once it was. */
  mailClaimId?: string;
  /** Set once the sealed proof of consent was written (store/consent-proofs.ts). */
  proofSealedAt?: string;
}

/** Records that the erasure began; a second call (a re-run) keeps the first one's values. */
export async function beginErasure(db: Db, e: Omit<BegunErasure, 'mailClaimId' | 'proofSealedAt'>): Promise<BegunErasure> {
  const out = await db.doc.send(
    new UpdateCommand({
      TableName: db.tableName,
      Key: keys.erasureBegun(e.reference),
      UpdateExpression: `SET #ref = :r, emailId = :e, #by = if_not_exists(#by, :by), startedAt = if_not_exists(startedAt, :at)${e.note ? ', #note = if_not_exists(#note, :n)' : ''}`,
      ExpressionAttributeNames: { '#ref': 'reference', '#by': 'by', ...(e.note ? { '#note': 'note' } : {}) },
      ExpressionAttributeValues: { ':r': e.reference, ':e': e.emailId, ':by': e.by, ':at': e.startedAt, ...(e.note ? { ':n': e.note } : {}) },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return toBegun(out.Attributes ?? {});
}

/** Every erasure that began and was not completed (one partition: there are only ever a few). */
export async function listBegunErasures(db: Db): Promise<BegunErasure[]> {
  return (await queryPartition(db, keys.erasurePartition)).map(toBegun);
}

function toBegun(item: Record<string, unknown>): BegunErasure {
  const { reference, emailId, by, note, startedAt, mailClaimId, proofSealedAt } = item as unknown as BegunErasure;
  return {
    reference,
    emailId,
    by,
    startedAt,
    ...(note ? { note } : {}),
    ...(mailClaimId ? { mailClaimId } : {}),
    ...(proofSealedAt ? { proofSealedAt } : {}),
  };
}

/**
 * Claims the completion mail before it is sent, so that of all the runs of one erasure only one
 * mails; `false` when another run holds (or held) it.
 */
export async function claimCompletionMail(db: Db, reference: string, claimId: string, at: string): Promise<boolean> {
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: keys.erasureBegun(reference),
        UpdateExpression: 'SET mailClaimId = :c, mailClaimedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(mailClaimId)',
        ExpressionAttributeValues: { ':c': claimId, ':at': at },
      }),
    );
    return true;
  } catch (err) {
    if (conditionFailed(err)) return false;
    throw err;
  }
}

/** Gives the claim back after SES refused the mail, so that the next run sends it. */
export async function releaseCompletionMail(db: Db, reference: string, claimId: string): Promise<void> {
  await db.doc
    .send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: keys.erasureBegun(reference),
        UpdateExpression: 'REMOVE mailClaimId, mailClaimedAt',
        ConditionExpression: 'mailClaimId = :c',
        ExpressionAttributeValues: { ':c': claimId },
      }),
    )
    // Best effort: a claim that cannot be given back counts as sent (never twice, at worst not at all).
    .catch(() => {});
}

/** The delete of the record, for the transaction that completes the inquiry. */
export const endErasureWrite = (db: Db, reference: string): TransactItem => ({ Delete: { TableName: db.tableName, Key: keys.erasureBegun(reference) } });

/** Deletes the record of an erasure whose inquiry was closed some other way (nothing to complete). */
export async function endErasure(db: Db, reference: string): Promise<void> {
  await db.doc.send(new DeleteCommand({ TableName: db.tableName, Key: keys.erasureBegun(reference) }));
}

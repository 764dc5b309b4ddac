import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { EmailId } from '../core/email-id';
import { isRedacted, redactEvent } from '../core/ledger';
import type { Db } from './client';
import { keys } from './keys';
import { queryPartition } from './query';
import { listLedger } from './subscribers';

/**
 * The parts of an erasure that `updateSubscriber` does not do: the ledger's details and the
 * per-address items that only exist to send (send records, subscribe windows, bounce counters).
 * Run after the profile became the erased tombstone; both steps are idempotent.
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

/** Deletes send records, subscribe windows and soft-bounce counters of the address. */
export async function deleteSendingItems(db: Db, emailId: EmailId): Promise<number> {
  const doomed = (await queryPartition(db, keys.subscriberPartition(emailId), { projection: 'pk, sk' }))
    .filter((item) => DISPOSABLE.some((p) => String(item.sk).startsWith(p)))
    .map((item) => ({ pk: String(item.pk), sk: String(item.sk) }));
  for (let i = 0; i < doomed.length; i += 25) {
    let requests: Record<string, unknown>[] | undefined = doomed.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
    while (requests?.length) {
      const out = await db.doc.send(new BatchWriteCommand({ RequestItems: { [db.tableName]: requests as never } }));
      requests = out.UnprocessedItems?.[db.tableName] as Record<string, unknown>[] | undefined;
    }
  }
  return doomed.length;
}

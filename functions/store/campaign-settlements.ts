import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { forEachConcurrently } from '../core/concurrency';
import type { EmailId } from '../core/email-id';
import type { SendCategory, SkipReason } from '../core/recipient-filter';
import { backOffOrGiveUp, type CountMove, countUpdate, isTransientCancellation, shardOf } from './campaign-counts';
import type { FinalResult } from './campaigns';
import type { Db } from './client';
import { keys } from './keys';
import type { TransactItem } from './subscribers';

/**
 * Recipients settled many at a time: a transaction of up to 99 recipient items and ONE counter
 * move for all of them, instead of a transaction and a counter write each (the counter item's
 * units were a third of a recipient's). The transaction is atomic, so the counts stay exactly
 * those of the items whatever is killed when. A recipient whose condition fails in it (settled
 * or claimed by someone else meanwhile) cancels the whole transaction; its cancellation reason
 * names it, so it is dropped and the transaction tried again with the rest.
 */

export interface SettlementTarget {
  campaignId: string;
  brand: string;
  topic?: string | undefined;
  category: SendCategory;
  purpose?: string | undefined;
  /** Whether the campaign has counters to keep (campaigns do; a plain /v1/sends call does not). */
  counters: boolean;
}

// DynamoDB's limit on one transaction is 100 actions; one is the counter move.
const GROUP = 99;

type Entry = { emailId: EmailId; item: TransactItem; move: CountMove };

/**
 * Records each recipient's final result, conditioned on its still holding the claim (`claimId`,
 * or any claim when undefined), with the campaign's counts. For a sent mail the send record under
 * the address (access pattern 3) is written first, as a plain write: a mail SES took has its
 * record even when the process dies before the settlement (the recipient then ends
 * `interrupted`), and it costs half a transaction's units. Returns those settled now.
 */
export async function finishRecipients(
  db: Db,
  target: SettlementTarget,
  claimId: string | undefined,
  settlements: readonly { emailId: EmailId; result: FinalResult }[],
  at: string,
): Promise<Set<EmailId>> {
  await putSendRecords(
    db,
    settlements.flatMap((s) => (s.result.status === 'sent' ? [sendRecord(target, s.emailId, s.result.messageId, at)] : [])),
  );
  const entries = settlements.map(
    ({ emailId, result }): Entry => ({ emailId, item: finalUpdate(db, target.campaignId, emailId, claimId, result, at), move: settledMove(result) }),
  );
  return settleInGroups(db, target.campaignId, entries, target.counters);
}

/**
 * Settles recipients still `pending` (never claimed, so never sent) as `skipped`, each with its
 * reason: a worker's batch of skipped, or one recipient (`settleRecipient`). Those no longer
 * `pending` (absent, claimed or final) are left alone. Returns those settled now.
 */
export async function settleSkippedRecipients(
  db: Db,
  campaignId: string,
  skipped: readonly { emailId: EmailId; reason: SkipReason }[],
  at: string,
): Promise<Set<EmailId>> {
  const entries = skipped.map(
    ({ emailId, reason }): Entry => ({ emailId, item: skipUpdate(db, campaignId, emailId, reason, at), move: settledMove({ status: 'skipped', reason }) }),
  );
  return settleInGroups(db, campaignId, entries, true);
}

async function settleInGroups(db: Db, campaignId: string, entries: readonly Entry[], counters: boolean): Promise<Set<EmailId>> {
  const settled = new Set<EmailId>();
  for (let i = 0; i < entries.length; i += GROUP) {
    let rest = entries.slice(i, i + GROUP);
    // Only conflicts count against the retry budget: a try cancelled for failed conditions alone
    // drops those items and goes on, and takes nothing from it.
    let conflicts = 0;
    while (rest.length > 0) {
      const items = rest.map((e) => e.item);
      if (counters) items.push(countUpdate(db, campaignId, shardOf(rest[0]?.emailId ?? ''), sumMoves(rest)));
      try {
        await db.doc.send(new TransactWriteCommand({ TransactItems: items }));
        for (const e of rest) settled.add(e.emailId);
        break;
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        const failed = new Set<number>();
        let transient = false;
        for (const [n, reason] of (err.CancellationReasons ?? []).entries()) {
          if (reason.Code === 'ConditionalCheckFailed' && n < rest.length) failed.add(n);
          else if (isTransientCancellation(reason.Code)) transient = true;
          else if (reason.Code && reason.Code !== 'None') throw err;
        }
        if (failed.size === 0 && !transient) throw err;
        rest = rest.filter((_, n) => !failed.has(n));
        // A cancellation for failed conditions alone is answered at once; only conflicts wait.
        if (transient) await backOffOrGiveUp(conflicts++, err);
      }
    }
  }
  return settled;
}

function sumMoves(entries: readonly Entry[]): CountMove {
  const sum: Record<'pending' | 'sent' | 'skipped' | 'failed', number> = { pending: 0, sent: 0, skipped: 0, failed: 0 };
  const skippedBy = new Map<string, number>();
  for (const { move } of entries) {
    sum.pending += move.pending ?? 0;
    sum.sent += move.sent ?? 0;
    sum.skipped += move.skipped ?? 0;
    sum.failed += move.failed ?? 0;
    for (const [reason, n] of Object.entries(move.skippedBy ?? {})) skippedBy.set(reason, (skippedBy.get(reason) ?? 0) + n);
  }
  return { ...sum, skippedBy: Object.fromEntries(skippedBy) };
}

/** One recipient's count, from `pending` to its final status. */
const settledMove = (result: FinalResult): CountMove => ({
  pending: -1,
  [result.status]: 1,
  ...(result.status === 'skipped' ? { skippedBy: { [result.reason]: 1 } } : {}),
});

function finalUpdate(db: Db, campaignId: string, emailId: EmailId, claimId: string | undefined, result: FinalResult, at: string): TransactItem {
  return {
    Update: {
      TableName: db.tableName,
      Key: keys.campaignRecipient(campaignId, emailId),
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
  };
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

const sendRecord = (t: SettlementTarget, emailId: EmailId, messageId: string, at: string): Record<string, unknown> => ({
  ...keys.sendRecord(emailId, at, t.campaignId),
  at,
  brand: t.brand,
  ...(t.topic !== undefined ? { topic: t.topic } : {}),
  category: t.category,
  // What a transactional mail, sent without consent, was for (CONTRACT.md "Sending").
  ...(t.purpose !== undefined ? { purpose: t.purpose } : {}),
  campaignId: t.campaignId,
  messageId,
});

/**
 * The send records, one PutItem each, several in flight (the same units as a BatchWriteItem, and
 * no right to it is needed: the worker's role has PutItem, not BatchWriteItem).
 */
async function putSendRecords(db: Db, records: readonly Record<string, unknown>[]): Promise<void> {
  await forEachConcurrently(records, 10, async (Item) => {
    await db.doc.send(new PutCommand({ TableName: db.tableName, Item }));
  });
}

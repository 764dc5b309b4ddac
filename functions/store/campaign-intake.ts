import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { forEachConcurrently } from '../core/concurrency';
import type { EmailId } from '../core/email-id';
import { backOffOrGiveUp, COUNTER_SHARDS, countUpdate, isTransientCancellation } from './campaign-counts';
import type { Db } from './client';
import { keys } from './keys';
import type { TransactItem } from './subscribers';

export interface IntakeRecipient {
  emailId: EmailId;
  email: string;
  data?: Record<string, string>;
}

/** What one committed chunk holds for the queue: recipients it added, and ones an earlier call stored that still wait. */
export interface IntakeChunk {
  added: EmailId[];
  waiting: EmailId[];
}

export interface IntakeOptions {
  /** Called after each chunk is committed (the use case enqueues its work there). */
  onChunk?: (chunk: IntakeChunk) => Promise<void>;
  /** Chunks in flight at once. @default 8 */
  concurrency?: number;
}

type Entry = { recipient: IntakeRecipient; bytes: number } | { invalidId: string; bytes: number };

// DynamoDB's limits on one transaction: 100 actions (one is the counter) and 4 MB.
const CHUNK_ITEMS = 99;
const CHUNK_BYTES = 3_000_000;

/**
 * Stores a campaign's new recipients as `pending`, and its inputs that are not addresses as
 * skipped `invalid-address` (by a keyed hash of the input), in chunks: each chunk is one
 * TransactWriteItems of its items, each conditioned on being absent, and of the counter update
 * that counts exactly them. A chunk therefore lands whole or not at all. A failed condition means
 * an earlier call stored that one: it is taken out, counted a duplicate, and the chunk is tried
 * again. After a failure no new chunk is started, and the call returns only once the chunks in
 * flight are done, so nothing is written after it has thrown.
 */
export async function addRecipients(
  db: Db,
  campaignId: string,
  input: { recipients: readonly IntakeRecipient[]; invalidIds: readonly string[] },
  at: string,
  opts: IntakeOptions = {},
): Promise<{ added: number; existing: number }> {
  const chunks = chunked([
    ...input.recipients.map((recipient) => ({ recipient, bytes: 300 + Buffer.byteLength(JSON.stringify(recipient)) })),
    ...input.invalidIds.map((invalidId) => ({ invalidId, bytes: 300 })),
  ]);
  // Chunks in flight together take consecutive shards, so they never conflict with each other.
  const firstShard = Math.floor(Math.random() * COUNTER_SHARDS);
  const total = { added: 0, existing: 0 };
  await forEachConcurrently(chunks, opts.concurrency ?? 8, async (chunk, index) => {
    const out = await writeChunk(db, campaignId, chunk, (firstShard + index) % COUNTER_SHARDS, at);
    total.added += out.added.length;
    total.existing += out.existing.length;
    await opts.onChunk?.({
      added: out.added.flatMap((e) => ('recipient' in e ? [e.recipient.emailId] : [])),
      waiting: out.existing.flatMap(({ entry, status }) => ('recipient' in entry && status === 'pending' ? [entry.recipient.emailId] : [])),
    });
  });
  return total;
}

function chunked(entries: Entry[]): Entry[][] {
  const chunks: Entry[][] = [];
  let current: Entry[] = [];
  let bytes = 0;
  for (const e of entries) {
    if (current.length === CHUNK_ITEMS || (current.length > 0 && bytes + e.bytes > CHUNK_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(e);
    bytes += e.bytes;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

async function writeChunk(
  db: Db,
  campaignId: string,
  chunk: Entry[],
  shard: number,
  at: string,
): Promise<{ added: Entry[]; existing: { entry: Entry; status: string | undefined }[] }> {
  const existing: { entry: Entry; status: string | undefined }[] = [];
  let rest = chunk;
  for (let attempt = 0; rest.length > 0; attempt++) {
    const invalid = rest.filter((e) => 'invalidId' in e).length;
    const items: TransactItem[] = [
      ...rest.map((e) => put(db, campaignId, e, at)),
      countUpdate(db, campaignId, shard, {
        accepted: rest.length,
        pending: rest.length - invalid,
        skipped: invalid,
        skippedBy: { 'invalid-address': invalid },
      }),
    ];
    try {
      await db.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return { added: rest, existing };
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const stored = new Set<number>();
      let transient = false;
      for (const [i, reason] of (err.CancellationReasons ?? []).entries()) {
        if (reason.Code === 'ConditionalCheckFailed' && i < rest.length) {
          stored.add(i);
          existing.push({ entry: rest[i] as Entry, status: reason.Item ? (unmarshall(reason.Item).status as string) : undefined });
        } else if (isTransientCancellation(reason.Code)) transient = true;
        else if (reason.Code && reason.Code !== 'None') throw err;
      }
      if (stored.size === 0 && !transient) throw err;
      rest = rest.filter((_, i) => !stored.has(i));
      if (transient) await backOffOrGiveUp(attempt, err);
    }
  }
  return { added: [], existing };
}

function put(db: Db, campaignId: string, e: Entry, at: string): TransactItem {
  if ('invalidId' in e) {
    return {
      Put: {
        TableName: db.tableName,
        Item: { ...keys.campaignInvalidInput(campaignId, e.invalidId), status: 'skipped', reason: 'invalid-address', acceptedAt: at },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }
  const r = e.recipient;
  return {
    Put: {
      TableName: db.tableName,
      Item: {
        // No index entry while pending: it would double the transaction's units. Pending recipients
        // are found by their campaign (pagePendingRecipients, store/unfinished-campaigns.ts).
        ...keys.campaignRecipient(campaignId, r.emailId),
        emailId: r.emailId,
        status: 'pending',
        // The address in clear stays only until the recipient is done (see finishRecipient).
        email: r.email,
        ...(r.data ? { data: r.data } : {}),
        acceptedAt: at,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
      // The status of the one already stored: a `pending` one is handed to the queue again.
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { UnavailableError } from '../core/errors';
import { backoffDelay } from '../core/token-bucket';
import type { Db } from './client';
import { keys } from './keys';
import type { TransactItem } from './subscribers';

/**
 * A campaign's counters. They live on shard items (`COUNTS#00` … `COUNTS#15`), and every count
 * moves in the same transaction as the recipient items it counts, so counts and recipients can
 * never disagree, whatever is killed when. Shards, because concurrent transactions on one item
 * are cancelled (`TransactionConflict`): the chunks of one call each take their own shard, and a
 * recipient's settlement takes the shard of its emailId. Every move keeps, per shard,
 * `accepted = pending + sent + skipped + failed`; a single shard's `pending` may go below zero
 * (added on one shard, settled on another), their sum never does.
 */
export const COUNTER_SHARDS = 16;

export interface CampaignCounts {
  accepted: number;
  pending: number;
  sent: number;
  skipped: number;
  failed: number;
}

/** A change of the counters: signed amounts, and skips by reason. */
export type CountMove = Partial<CampaignCounts> & { skippedBy?: Readonly<Record<string, number>> };

const STATUSES = ['accepted', 'pending', 'sent', 'skipped', 'failed'] as const;
// Flat attributes rather than a map: ADD into a nested map fails on a shard item not yet made.
const SKIP_PREFIX = 'skip#';

/** The counter update of a move, to put in the transaction that writes the recipients it counts. */
export function countUpdate(db: Db, campaignId: string, shard: number, move: CountMove): TransactItem {
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const adds: string[] = [];
  for (const s of STATUSES) {
    const n = move[s];
    if (!n) continue;
    names[`#${s}`] = s;
    values[`:${s}`] = n;
    adds.push(`#${s} :${s}`);
  }
  let i = 0;
  for (const [reason, n] of Object.entries(move.skippedBy ?? {})) {
    if (!n) continue;
    names[`#r${i}`] = `${SKIP_PREFIX}${reason}`;
    values[`:r${i}`] = n;
    adds.push(`#r${i} :r${i}`);
    i++;
  }
  return {
    Update: {
      TableName: db.tableName,
      Key: keys.campaignCounts(campaignId, shard),
      UpdateExpression: `ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** The shard a single recipient's settlement moves its count on (emailIds are uniform hashes). */
export function shardOf(emailId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < emailId.length; i++) h = Math.imul(h ^ emailId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % COUNTER_SHARDS;
}

/** Cancellation codes that say "try again", not "this write is wrong". */
export const isTransientCancellation = (code: string | undefined) =>
  code === 'TransactionConflict' || code === 'ThrottlingError' || code === 'ProvisionedThroughputExceeded';

const CONFLICT_ATTEMPTS = 8;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits before the next try of a transaction cancelled by a conflict; throws once tried enough. */
export async function backOffOrGiveUp(attempt: number, cause: unknown): Promise<void> {
  if (attempt + 1 >= CONFLICT_ATTEMPTS) throw new UnavailableError('The campaign is busy; try again.', 1, { cause });
  await sleep(backoffDelay(attempt + 1, Math.random(), { baseMs: 20, capMs: 1000 }));
}

const transientOnly = (err: unknown) =>
  err instanceof TransactionCanceledException &&
  (err.CancellationReasons ?? []).some((r) => isTransientCancellation(r.Code)) &&
  (err.CancellationReasons ?? []).every((r) => r.Code === 'None' || isTransientCancellation(r.Code));

/**
 * TransactWriteItems, tried again while it is cancelled only by conflicts or throttling (the SDK
 * does not retry those); any other failure, a failed condition included, is thrown as it is.
 */
export async function writeTransaction(db: Db, items: TransactItem[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await db.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (err) {
      if (!transientOnly(err)) throw err;
      await backOffOrGiveUp(attempt, err);
    }
  }
}

/**
 * The campaign's counts: META (whose counters hold what campaigns stored before the shards) and
 * every shard, read in one TransactGetItems, so the sum is of one instant and never shows a
 * settlement without the addition it follows. `undefined` when there is no such campaign.
 */
export async function readCampaignCounts(db: Db, campaignId: string): Promise<{ counts: CampaignCounts; skippedBy: Record<string, number> } | undefined> {
  const shardKeys = Array.from({ length: COUNTER_SHARDS }, (_, n) => keys.campaignCounts(campaignId, n));
  const request = [keys.campaignMeta(campaignId), ...shardKeys].map((Key) => ({ Get: { TableName: db.tableName, Key } }));
  for (let attempt = 0; ; attempt++) {
    try {
      const out = await db.doc.send(new TransactGetCommand({ TransactItems: request }));
      const [meta, ...shards] = (out.Responses ?? []).map((r) => r.Item);
      if (!meta) return undefined;
      return sumCounts(meta, shards);
    } catch (err) {
      if (!transientOnly(err)) throw err;
      await backOffOrGiveUp(attempt, err);
    }
  }
}

function sumCounts(meta: Record<string, unknown>, shards: (Record<string, unknown> | undefined)[]) {
  const counts: CampaignCounts = { accepted: 0, pending: 0, sent: 0, skipped: 0, failed: 0 };
  const skippedBy = new Map<string, number>();
  const add = (reason: string, n: unknown) => skippedBy.set(reason, (skippedBy.get(reason) ?? 0) + Number(n ?? 0));
  for (const item of [meta, ...shards]) {
    if (!item) continue;
    for (const s of STATUSES) counts[s] += Number(item[s] ?? 0);
    for (const [name, n] of Object.entries(item)) if (name.startsWith(SKIP_PREFIX)) add(name.slice(SKIP_PREFIX.length), n);
  }
  for (const [reason, n] of Object.entries((meta.skippedBy ?? {}) as Record<string, unknown>)) add(reason, n);
  return { counts, skippedBy: Object.fromEntries(skippedBy) };
}

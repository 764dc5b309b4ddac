import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../core/clock';
import type { EmailId } from '../core/email-id';
import { ConcurrentUpdateError } from '../core/errors';
import { appendEvents, type LedgerEventContent, type StoredLedgerEvent } from '../core/ledger';
import { newSubscriber, type Subscriber } from '../core/subscriber';
import type { Db } from './client';
import { lostRace } from './conditions';
import { keys } from './keys';
import { queryPartition } from './query';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A decision about one subscriber: the record as it should be, and the ledger events that say why. */
export interface SubscriberChange {
  next: Subscriber;
  events: LedgerEventContent[];
  /** Other items that must change in the same transaction (suppression index entries, links). */
  extra?: TransactItem[];
}

const SUBSCRIBER_FIELDS = ['emailId', 'email', 'name', 'status', 'brands', 'suppressions', 'ledger', 'unsealed', 'createdAt', 'updatedAt'] as const;

/** The subscriber fields of a stored profile item. */
export function toSubscriber(item: Record<string, unknown>): Subscriber {
  const s: Record<string, unknown> = {};
  for (const f of SUBSCRIBER_FIELDS) if (item[f] !== undefined) s[f] = item[f];
  return s as unknown as Subscriber;
}

export async function getSubscriber(db: Db, emailId: EmailId): Promise<Subscriber | undefined> {
  const out = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.subscriber(emailId), ConsistentRead: true }));
  return out.Item ? toSubscriber(out.Item) : undefined;
}

/**
 * The transaction items of one subscriber change (profile conditioned on its version, the new
 * ledger events, the suppression index entries, `extra`), for `commitSubscriber` and for callers
 * that put several subscribers' changes into one transaction (bulk import).
 */
export function subscriberWrites(db: Db, prev: Subscriber | undefined, change: SubscriberChange): { items: TransactItem[]; next: Subscriber } {
  const head = prev?.ledger ?? change.next.ledger;
  // Events the one-click fast path left unsealed go into the chain first, in their order.
  const unsealed = prev?.unsealed ?? [];
  const { events, head: newHead } = appendEvents(head, [...unsealed, ...change.events]);
  const { unsealed: _sealedNow, ...decided } = change.next;
  const next: Subscriber = { ...decided, ledger: newHead };
  const items: TransactItem[] = [
    {
      Put: {
        TableName: db.tableName,
        Item: { ...keys.subscriber(next.emailId), ...next },
        // The version is the ledger sequence plus the unsealed events: a fast-path unsubscribe
        // since `prev` was read changes the latter only.
        ...(prev
          ? {
              ConditionExpression: `#l.#s = :seq AND ${unsealed.length ? 'size(#u) = :unsealed' : 'attribute_not_exists(#u)'}`,
              ExpressionAttributeNames: { '#l': 'ledger', '#s': 'seq', '#u': 'unsealed' },
              ExpressionAttributeValues: { ':seq': prev.ledger.seq, ...(unsealed.length ? { ':unsealed': unsealed.length } : {}) },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    },
    ...events.map(
      (e): TransactItem => ({
        Put: { TableName: db.tableName, Item: { ...keys.ledgerEvent(next.emailId, e.seq), ...e }, ConditionExpression: 'attribute_not_exists(pk)' },
      }),
    ),
    ...suppressionIndexWrites(db, prev, next),
    ...(change.extra ?? []),
  ];
  return { items, next };
}

/**
 * Writes a subscriber and its new ledger events in one transaction. The record's version is its
 * ledger sequence with the number of unsealed events: the write only lands if nobody else
 * appended since `prev` was read, so the ledger and the state can never disagree.
 */
export async function commitSubscriber(db: Db, prev: Subscriber | undefined, change: SubscriberChange): Promise<Subscriber> {
  const { items, next } = subscriberWrites(db, prev, change);
  try {
    await db.doc.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (err) {
    // TransactionConflict: another transaction or a fast-path write held the item; decide again too.
    if (lostRace(err)) {
      throw new ConcurrentUpdateError('the subscriber changed while this change was being made', { cause: err });
    }
    throw err;
  }
  return next;
}

/**
 * Keeps the suppression index entries (for paging the list by reason, gsi2) equal to the
 * profile's `suppressions`, in the same transaction, so that no caller can forget one.
 */
function suppressionIndexWrites(db: Db, prev: Subscriber | undefined, next: Subscriber): TransactItem[] {
  const before = prev?.suppressions ?? {};
  const after = next.suppressions;
  const writes: TransactItem[] = [];
  for (const [scope, sup] of Object.entries(after)) {
    const old = before[scope];
    if (old && old.reason === sup.reason && old.at === sup.at) continue;
    writes.push({
      Put: {
        TableName: db.tableName,
        Item: {
          ...keys.suppressionEntry(next.emailId, scope),
          ...keys.suppressionIndex(sup.reason, sup.at, next.emailId, scope),
          emailId: next.emailId,
          scope,
          ...sup,
        },
      },
    });
  }
  for (const scope of Object.keys(before)) {
    if (!(scope in after)) writes.push({ Delete: { TableName: db.tableName, Key: keys.suppressionEntry(next.emailId, scope) } });
  }
  return writes;
}

/**
 * Read, decide, write; again from the read if another writer got there first. `decide` returns
 * `undefined` when nothing needs to change (which is what makes repeated requests idempotent).
 */
export async function updateSubscriber(
  db: Db,
  clock: Clock,
  emailId: EmailId,
  decide: (current: Subscriber, exists: boolean) => SubscriberChange | undefined,
  { attempts = 5 }: { attempts?: number } = {},
): Promise<{ subscriber: Subscriber; changed: boolean }> {
  for (let attempt = 1; ; attempt++) {
    const prev = await getSubscriber(db, emailId);
    const current = prev ?? newSubscriber(emailId, clock.now());
    const change = decide(current, prev !== undefined);
    if (!change) return { subscriber: current, changed: false };
    try {
      return { subscriber: await commitSubscriber(db, prev, change), changed: true };
    } catch (err) {
      if (!(err instanceof ConcurrentUpdateError) || attempt >= attempts) throw err;
    }
  }
}

/**
 * Chains the events the one-click fast path left unsealed (a change with no events of its own),
 * so that what a reader gets is the whole ledger, every event hash-linked. No write when there
 * are none.
 */
export async function sealLedger(db: Db, emailId: EmailId, { attempts = 5 }: { attempts?: number } = {}): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const prev = await getSubscriber(db, emailId);
    if (!prev?.unsealed?.length) return;
    try {
      await commitSubscriber(db, prev, { next: prev, events: [] });
      return;
    } catch (err) {
      if (!(err instanceof ConcurrentUpdateError) || attempt >= attempts) throw err;
    }
  }
}

/**
 * The whole ledger of one address, oldest first, every event chained: it seals first, so it is for
 * write paths and audits. Pure reads use `readSubscriberRecords`, which writes nothing.
 */
export async function listLedger(db: Db, emailId: EmailId): Promise<StoredLedgerEvent[]> {
  await sealLedger(db, emailId);
  const items = await queryPartition(db, keys.subscriberPartition(emailId), { skPrefix: keys.ledgerPrefix });
  return items.map(({ pk, sk, ...event }) => event as unknown as StoredLedgerEvent);
}

import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { epochSeconds } from '../core/clock';
import { ConcurrentUpdateError } from '../core/errors';
import { addCalendarMonths, type Inquiry, type InquiryChange, type InquiryEvent, type InquiryStatus, type InquiryType, isClosed } from '../core/inquiry';
import { batchGet } from './batch-get';
import type { Db } from './client';
import { conditionFailed } from './conditions';
import { keys } from './keys';
import { queryPartition } from './query';
import type { TransactItem } from './subscribers';

/**
 * Inquiries (docs/data-model.md): `INQ#{reference}`/`INQ`, listed by status and due date through
 * gsi1, with their events in the same partition and a link under the person's `SUB#{emailId}`
 * partition. Every change writes the inquiry and its event in one transaction conditioned on the
 * inquiry's event count, so two officers (or an officer and the scheduler) never both win.
 */
const UNVERIFIED_TTL_SECONDS = 7 * 24 * 3600;

const INQUIRY_FIELDS = [
  'reference',
  'brand',
  'type',
  'status',
  'emailId',
  'email',
  'name',
  'message',
  'locale',
  'createdAt',
  'receivedAt',
  'dueAt',
  'extended',
  'closedAt',
  'rejectionReason',
  'reminderSentAt',
  'redacted',
  'eventCount',
] as const;

function toInquiry(item: Record<string, unknown>): Inquiry {
  const out: Record<string, unknown> = {};
  for (const f of INQUIRY_FIELDS) if (item[f] !== undefined) out[f] = item[f];
  return out as unknown as Inquiry;
}

/** When an inquiry expires: 7 days while unverified, the retention after closing, never while open. */
export function inquiryExpiry(inq: Inquiry, retentionYears: number): number | undefined {
  if (inq.status === 'unverified') return epochSeconds(new Date(inq.createdAt)) + UNVERIFIED_TTL_SECONDS;
  if (isClosed(inq.status) && inq.closedAt) return epochSeconds(addCalendarMonths(new Date(inq.closedAt), Math.round(retentionYears * 12)));
  return undefined;
}

/** DynamoDB deletes expired items within days, not at once (and DynamoDB Local never does): expired is gone. */
const isExpired = (item: Record<string, unknown>, now: Date) => typeof item.expiresAt === 'number' && item.expiresAt <= epochSeconds(now);

function inquiryItem(inq: Inquiry, expiresAt: number | undefined) {
  return {
    ...keys.inquiry(inq.reference),
    ...keys.inquiryIndex(inq.status, inq.dueAt ?? inq.createdAt, inq.reference),
    ...inq,
    ...(expiresAt ? { expiresAt } : {}),
  };
}

const eventItem = (reference: string, n: number, e: InquiryEvent, expiresAt: number | undefined) => ({
  ...keys.inquiryEvent(reference, e.at, n),
  ...e,
  ...(expiresAt ? { expiresAt } : {}),
});

/** Stores a new inquiry, its first event and the link from the person's partition, together. */
export async function createInquiry(db: Db, change: InquiryChange, retentionYears: number): Promise<void> {
  const inq = change.next;
  const expiresAt = inquiryExpiry(inq, retentionYears);
  await db.doc.send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: db.tableName, Item: inquiryItem(inq, expiresAt), ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: db.tableName, Item: eventItem(inq.reference, inq.eventCount, change.event, expiresAt) } },
        {
          Put: {
            TableName: db.tableName,
            Item: { ...keys.inquiryLink(inq.emailId, inq.reference), reference: inq.reference, ...(expiresAt ? { expiresAt } : {}) },
          },
        },
      ],
    }),
  );
}

export async function getInquiry(db: Db, reference: string, now: Date): Promise<Inquiry | undefined> {
  const out = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.inquiry(reference), ConsistentRead: true }));
  return out.Item && !isExpired(out.Item, now) ? toInquiry(out.Item) : undefined;
}

export async function getInquiries(db: Db, references: string[], now: Date): Promise<Inquiry[]> {
  const items = (
    await batchGet(
      db,
      references.map((r) => keys.inquiry(r)),
    )
  ).map((item) => unmarshall(item));
  return items
    .filter((item) => !isExpired(item, now))
    .map(toInquiry)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function listInquiryEvents(db: Db, reference: string): Promise<InquiryEvent[]> {
  const items = await queryPartitionEvents(db, reference);
  return items.map(({ at, type, by, note }) => ({ at, type, ...(by ? { by } : {}), ...(note ? { note } : {}) }) as InquiryEvent);
}

async function queryPartitionEvents(db: Db, reference: string): Promise<(InquiryEvent & { sk: string })[]> {
  return (await queryPartition(db, keys.inquiryPartition(reference), { skPrefix: 'EVT#' })) as unknown as (InquiryEvent & { sk: string })[];
}

/**
 * Writes a change made from `prev`: the inquiry (conditioned on `prev.eventCount`), its new event,
 * and, when the expiry changes (verified: none; closed: the retention), the expiry of the link and
 * of the earlier events, so that the whole inquiry expires together; `extra` writes go with it.
 * Throws ConcurrentUpdateError when someone else changed it first.
 */
export async function saveInquiryChange(db: Db, prev: Inquiry, change: InquiryChange, retentionYears: number, extra: TransactItem[] = []): Promise<void> {
  const next = change.next;
  const before = inquiryExpiry(prev, retentionYears);
  const expiresAt = inquiryExpiry(next, retentionYears);
  const items: TransactItem[] = [
    {
      Put: {
        TableName: db.tableName,
        Item: inquiryItem(next, expiresAt),
        ConditionExpression: 'eventCount = :n',
        ExpressionAttributeValues: { ':n': prev.eventCount },
      },
    },
    {
      Put: {
        TableName: db.tableName,
        Item: eventItem(next.reference, next.eventCount, change.event, expiresAt),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...extra,
  ];
  if (before !== expiresAt) {
    const retime = (Key: Record<string, string>): TransactItem => ({
      Update: {
        TableName: db.tableName,
        Key,
        ...(expiresAt ? { UpdateExpression: 'SET expiresAt = :x', ExpressionAttributeValues: { ':x': expiresAt } } : { UpdateExpression: 'REMOVE expiresAt' }),
      },
    });
    items.push(retime(keys.inquiryLink(next.emailId, next.reference)));
    for (const e of await queryPartitionEvents(db, next.reference)) items.push(retime({ pk: keys.inquiryPartition(next.reference), sk: e.sk }));
  }
  try {
    await db.doc.send(new TransactWriteCommand({ TransactItems: items.slice(0, 100) }));
  } catch (err) {
    if (conditionFailed(err)) {
      throw new ConcurrentUpdateError('the inquiry changed while this change was being made', { cause: err });
    }
    throw err;
  }
}

/** Removes an expired unverified inquiry with its events and link (TTL does it in AWS, eventually). */
export async function deleteInquiry(db: Db, inq: Inquiry): Promise<void> {
  const events = await queryPartitionEvents(db, inq.reference);
  const Keys = [
    keys.inquiry(inq.reference),
    keys.inquiryLink(inq.emailId, inq.reference),
    ...events.map((e) => ({ pk: keys.inquiryPartition(inq.reference), sk: e.sk })),
  ];
  for (const Key of Keys) await db.doc.send(new DeleteCommand({ TableName: db.tableName, Key }));
}

export interface InquiryPage {
  items: Inquiry[];
  /** Per status: the last gsi1 sort key consumed, or `null` once that status is exhausted. */
  positions: Record<string, string | null>;
  more: boolean;
}

/**
 * Inquiries of one or more statuses, soonest due (or, unverified, oldest) first, `limit` at a time.
 * Each status is its own gsi1 partition; a page merges them in order, and the positions say where
 * each one stopped, so the next page continues exactly after.
 */
export async function listInquiries(
  db: Db,
  opts: {
    statuses: InquiryStatus[];
    brand?: string;
    type?: InquiryType;
    dueBefore?: string;
    limit: number;
    positions?: Record<string, string | null>;
    now: Date;
  },
): Promise<InquiryPage> {
  const candidates: { status: InquiryStatus; sk: string; inq: Inquiry; last: boolean }[] = [];
  const exhausted: Record<string, boolean> = {};
  for (const status of opts.statuses) {
    const after = opts.positions?.[status];
    if (after === null) {
      exhausted[status] = true;
      continue;
    }
    const filters: string[] = [];
    const values: Record<string, unknown> = { ':pk': `INQ#${status}` };
    const names: Record<string, string> = {};
    // `type` is a reserved word in expressions, hence the name placeholders.
    for (const [test, name, value] of [
      ['#brand = :brand', 'brand', opts.brand],
      ['#type = :type', 'type', opts.type],
      ['#dueAt < :dueAt', 'dueAt', opts.dueBefore],
    ] as const) {
      if (!value) continue;
      filters.push(test);
      names[`#${name}`] = name;
      values[`:${name}`] = value;
    }
    let cond = 'gsi1pk = :pk';
    if (after) {
      cond += ' AND gsi1sk > :after';
      values[':after'] = after;
    }
    const found: { sk: string; inq: Inquiry }[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await db.doc.send(
        new QueryCommand({
          TableName: db.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: cond,
          ...(filters.length ? { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
          Limit: opts.limit + 1,
          ExclusiveStartKey,
        }),
      );
      for (const item of out.Items ?? []) if (!isExpired(item, opts.now)) found.push({ sk: String(item.gsi1sk), inq: toInquiry(item) });
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey && found.length <= opts.limit);
    exhausted[status] = !ExclusiveStartKey && found.length <= opts.limit;
    found.slice(0, opts.limit + 1).forEach((f, i, all) => {
      candidates.push({ status, ...f, last: i === all.length - 1 });
    });
  }
  candidates.sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
  const taken = candidates.slice(0, opts.limit);
  const positions: Record<string, string | null> = { ...(opts.positions ?? {}) };
  for (const status of opts.statuses) {
    if (positions[status] === null) continue;
    const mine = taken.filter((t) => t.status === status);
    const left = candidates.slice(opts.limit).some((c) => c.status === status);
    const lastTaken = mine[mine.length - 1];
    if (lastTaken) positions[status] = lastTaken.sk;
    if (!left && exhausted[status]) positions[status] = null;
  }
  const more = opts.statuses.some((s) => positions[s] !== null);
  return { items: taken.map((t) => t.inq), positions, more };
}

/** Marks the one reminder as sent before sending it, so that two runs never both send. */
export async function claimReminder(db: Db, inq: Inquiry, at: Date): Promise<boolean> {
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: keys.inquiry(inq.reference),
        UpdateExpression: 'SET reminderSentAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(reminderSentAt) AND #s = :unverified',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':at': at.toISOString(), ':unverified': 'unverified' },
      }),
    );
    return true;
  } catch (err) {
    if (conditionFailed(err)) return false;
    throw err;
  }
}

/** Once per period (e.g. a day) for a scheduled job; true for the one caller that gets it. */
export async function claimSchedulePeriod(db: Db, job: string, period: string, expiresAt: number): Promise<boolean> {
  try {
    await db.doc.send(
      new PutCommand({ TableName: db.tableName, Item: { ...keys.scheduleMark(job, period), expiresAt }, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    return true;
  } catch (err) {
    if (conditionFailed(err)) return false;
    throw err;
  }
}

import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { epochSeconds } from '../core/clock';
import type { EmailId } from '../core/email-id';
import { batchGet } from './batch-get';
import type { Db } from './client';
import { conditionFailed } from './conditions';
import { keys } from './keys';

/**
 * SES feedback bookkeeping: which EventBridge events were applied, transient-bounce counters and
 * per-brand daily counters for the rates job. (Suppressions themselves are subscriber changes,
 * written through `updateSubscriber`.)
 */

const DAY = 86_400;
/** How long an event id is remembered; EventBridge retries for at most 24 hours. */
export const SES_EVENT_MEMORY_DAYS = 7;
/** How long daily counters are kept: long enough for a year-on-year look. */
const STATS_KEEP_DAYS = 400;

export const FEEDBACK_COUNTERS = ['delivered', 'bounced', 'softBounced', 'complained', 'rejected'] as const;
export type FeedbackCounter = (typeof FEEDBACK_COUNTERS)[number];
export type FeedbackCounts = Record<FeedbackCounter, number>;

export async function sesEventSeen(db: Db, eventId: string): Promise<boolean> {
  const out = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.sesEvent(eventId), ConsistentRead: true, ProjectionExpression: 'pk' }));
  return out.Item !== undefined;
}

/**
 * Marks an event as applied and adds its counts, in one transaction conditioned on the event not
 * being marked yet: written after the event's subscriber changes (which are idempotent), so a
 * crash before it only means the event is applied again, and the counters never count twice.
 */
export async function recordSesEvent(
  db: Db,
  input: { eventId: string; detailType: string; at: Date; stats?: { brand: string; day: string; counts: Partial<FeedbackCounts> } },
): Promise<'recorded' | 'duplicate'> {
  const counts = Object.entries(input.stats?.counts ?? {}).filter(([, n]) => (n ?? 0) > 0);
  const stats = input.stats;
  try {
    await db.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: db.tableName,
              Item: {
                ...keys.sesEvent(input.eventId),
                detailType: input.detailType,
                at: input.at.toISOString(),
                expiresAt: epochSeconds(input.at) + SES_EVENT_MEMORY_DAYS * DAY,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...(stats && counts.length
            ? [
                {
                  Update: {
                    TableName: db.tableName,
                    Key: keys.feedbackStats(stats.brand, stats.day),
                    UpdateExpression: `SET #brand = :brand, #day = :day, #exp = if_not_exists(#exp, :exp) ADD ${counts.map((_, i) => `#c${i} :n${i}`).join(', ')}`,
                    ExpressionAttributeNames: {
                      '#brand': 'brand',
                      '#day': 'day',
                      '#exp': 'expiresAt',
                      ...Object.fromEntries(counts.map(([c], i) => [`#c${i}`, c])),
                    },
                    ExpressionAttributeValues: {
                      ':brand': stats.brand,
                      ':day': stats.day,
                      ':exp': epochSeconds(input.at) + STATS_KEEP_DAYS * DAY,
                      ...Object.fromEntries(counts.map(([, n], i) => [`:n${i}`, n])),
                    },
                  },
                },
              ]
            : []),
        ],
      }),
    );
    return 'recorded';
  } catch (err) {
    if (err instanceof TransactionCanceledException && err.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return 'duplicate';
    throw err;
  }
}

/**
 * Counts one transient bounce of an address and answers how many fell in the current window.
 * The counter holds the event ids (a set), so applying the same event again never counts twice;
 * the window starts at the first bounce and ends `windowDays` later (TTL, and checked here too,
 * because TTL deletes late).
 */
export async function countSoftBounce(db: Db, emailId: EmailId, eventId: string, at: Date, windowDays: number): Promise<number> {
  const now = epochSeconds(at);
  for (let attempt = 0; ; attempt++) {
    try {
      const out = await db.doc.send(
        new UpdateCommand({
          TableName: db.tableName,
          Key: keys.softBounce(emailId),
          UpdateExpression: 'ADD #events :ids SET #first = if_not_exists(#first, :at), #exp = if_not_exists(#exp, :exp), #last = :at',
          ConditionExpression: 'attribute_not_exists(#exp) OR #exp > :now',
          ExpressionAttributeNames: { '#events': 'events', '#first': 'first', '#exp': 'expiresAt', '#last': 'last' },
          ExpressionAttributeValues: { ':ids': new Set([eventId]), ':at': at.toISOString(), ':exp': now + windowDays * DAY, ':now': now },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return (out.Attributes?.events as Set<string> | undefined)?.size ?? 1;
    } catch (err) {
      if (!conditionFailed(err) || attempt >= 2) throw err;
      // The window is over but TTL has not removed the counter yet: start a new window.
      await db.doc
        .send(
          new DeleteCommand({
            TableName: db.tableName,
            Key: keys.softBounce(emailId),
            ConditionExpression: '#exp <= :now',
            ExpressionAttributeNames: { '#exp': 'expiresAt' },
            ExpressionAttributeValues: { ':now': now },
          }),
        )
        .catch((e) => {
          if (!conditionFailed(e)) throw e;
        });
    }
  }
}

/** A delivery resets the transient-bounce counter, unless a bounce newer than the delivery was counted. */
export async function resetSoftBounces(db: Db, emailId: EmailId, at: Date): Promise<void> {
  // Nearly every delivery finds no counter, and a delete (even of nothing, even refused by its
  // condition) is billed a write unit; a read costs a fifth of that. A counter made by a bounce
  // racing this read is one that bounce, newer or not by a moment, keeps either way.
  const counter = await db.doc.send(
    new GetCommand({ TableName: db.tableName, Key: keys.softBounce(emailId), ConsistentRead: true, ProjectionExpression: 'pk' }),
  );
  if (!counter.Item) return;
  try {
    await db.doc.send(
      new DeleteCommand({
        TableName: db.tableName,
        Key: keys.softBounce(emailId),
        ConditionExpression: 'attribute_not_exists(pk) OR #last <= :at',
        ExpressionAttributeNames: { '#last': 'last' },
        ExpressionAttributeValues: { ':at': at.toISOString() },
      }),
    );
  } catch (err) {
    if (!conditionFailed(err)) throw err;
  }
}

/** The transient-bounce counter of an address, for lifting a bounce suppression with it. */
export const softBounceDelete = (db: Db, emailId: EmailId) => ({ Delete: { TableName: db.tableName, Key: keys.softBounce(emailId) } });

export async function readFeedbackCounts(db: Db, brand: string, day: string): Promise<FeedbackCounts> {
  const out = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.feedbackStats(brand, day), ConsistentRead: true }));
  return Object.fromEntries(FEEDBACK_COUNTERS.map((c) => [c, Number(out.Item?.[c] ?? 0)])) as FeedbackCounts;
}

/**
 * The counters of many brands and days at once (the console's 30-day chart): one BatchGetItem of
 * the `STATS#{brand}#{day}` items, 100 keys a call. A day without an item counts zero.
 */
export async function readFeedbackSeries(db: Db, brands: readonly string[], days: readonly string[]): Promise<Map<string, FeedbackCounts>> {
  const wanted = brands.flatMap((brand) => days.map((day) => keys.feedbackStats(brand, day)));
  const found = new Map<string, Record<string, unknown>>();
  for (const raw of await batchGet(db, wanted)) {
    const item = unmarshall(raw);
    found.set(String(item.pk), item);
  }
  const out = new Map<string, FeedbackCounts>();
  for (const k of wanted) {
    const item = found.get(k.pk);
    out.set(k.pk, Object.fromEntries(FEEDBACK_COUNTERS.map((c) => [c, Number(item?.[c] ?? 0)])) as FeedbackCounts);
  }
  return out;
}

/** The key under which `readFeedbackSeries` answers one brand's day. */
export const feedbackSeriesKey = (brand: string, day: string) => keys.feedbackStats(brand, day).pk;

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { EmailId } from '../core/email-id';
import type { Subscriber } from '../core/subscriber';
import { type BatchReadOptions, type BatchReadStats, batchGet } from './batch-get';
import type { Db } from './client';
import { keys } from './keys';

/**
 * Access pattern 1: the profiles of many addresses, one read each (`batchGet`), decoded to what
 * the filter decides on. A read that cannot finish fails whole, so that no recipient is decided
 * on a missing record.
 */
export async function readSubscribersForFilter(
  db: Db,
  emailIds: readonly EmailId[],
  opts: BatchReadOptions = {},
): Promise<{ subscribers: Map<EmailId, Subscriber>; stats: BatchReadStats }> {
  const stats: BatchReadStats = { calls: 0, retries: 0 };
  const items = await batchGet(
    db,
    emailIds.map((id) => keys.subscriber(id)),
    { ...opts, stats },
  );
  const subscribers = new Map<EmailId, Subscriber>();
  for (const item of items) {
    const emailId = (item.pk?.S ?? '').slice('SUB#'.length) as EmailId;
    subscribers.set(emailId, filterView(emailId, item));
  }
  return { subscribers, stats };
}

/**
 * Only the fields the filter decides on, decoded directly (10,000 full `unmarshall`s are a
 * visible share of a filter call). The rest of the record is left out on purpose.
 */
function filterView(emailId: EmailId, item: Record<string, AttributeValue>): Subscriber {
  return {
    emailId,
    status: (item.status?.S ?? 'active') as Subscriber['status'],
    brands: (item.brands ? decode(item.brands) : {}) as Subscriber['brands'],
    suppressions: (item.suppressions ? decode(item.suppressions) : {}) as Subscriber['suppressions'],
  } as Subscriber;
}

/** Strings, numbers, booleans, maps and lists: all a profile holds (the SDK's general unmarshall is slower). */
function decode(v: AttributeValue): unknown {
  if (v.S !== undefined) return v.S;
  if (v.M !== undefined) {
    const o: Record<string, unknown> = {};
    for (const k in v.M) o[k] = decode(v.M[k] as AttributeValue);
    return o;
  }
  if (v.N !== undefined) return Number(v.N);
  if (v.BOOL !== undefined) return v.BOOL;
  if (v.L !== undefined) return v.L.map(decode);
  return undefined;
}

export type { BatchReadOptions, BatchReadStats };

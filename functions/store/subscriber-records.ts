import type { EmailId } from '../core/email-id';
import { UnavailableError } from '../core/errors';
import type { RecordedLedgerEvent, StoredLedgerEvent } from '../core/ledger';
import type { Subscriber, Suppression } from '../core/subscriber';
import type { Db } from './client';
import { keys } from './keys';
import { queryPartition } from './query';

/** Everything stored under one address's partition, sorted by kind (access pattern 3). */
export interface SubscriberRecords {
  profile?: Subscriber;
  /** Chained events, oldest first, then the events the one-click fast path left unsealed. */
  ledger: RecordedLedgerEvent[];
  suppressions: (Suppression & { scope: string })[];
  sends: Record<string, unknown>[];
  inquiryRefs: string[];
  /** Items of kinds this reader does not know yet, so that nothing is silently left out. */
  other: Record<string, unknown>[];
}

/**
 * Reads only (the preference page, an export, an officer's view). A profile's unsealed events come
 * last in `ledger`, at the places they will take; the profile itself is returned without them.
 * One query is not a snapshot: events sort before the profile, so a change that chains events while
 * the query is under way can show its new profile beside the old events. Such a read (events that
 * do not reach the profile's head) is made again; if it keeps happening, the answer is a 503
 * rather than a history with holes (an export is a legal document).
 */
export async function readSubscriberRecords(db: Db, emailId: EmailId, { attempts = 4 }: { attempts?: number } = {}): Promise<SubscriberRecords> {
  for (let attempt = 1; ; attempt++) {
    const out = await readOnce(db, emailId);
    const chained = out.ledger.at(-1)?.seq ?? 0;
    if (!out.profile || out.profile.ledger.seq === chained) {
      if (out.profile) {
        const { unsealed = [], ...profile } = out.profile;
        const head = profile.ledger.seq;
        out.profile = profile;
        out.ledger.push(...unsealed.map((e, i) => ({ ...e, seq: head + i + 1, unsealed: true as const })));
      }
      return out;
    }
    if (attempt >= attempts) throw new UnavailableError('The record kept changing while it was read; please try again.', 1);
    await new Promise((r) => setTimeout(r, 10 * attempt));
  }
}

async function readOnce(db: Db, emailId: EmailId): Promise<SubscriberRecords> {
  const out: SubscriberRecords = { ledger: [], suppressions: [], sends: [], inquiryRefs: [], other: [] };
  for (const item of await queryPartition(db, keys.subscriberPartition(emailId))) {
    const { pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, ...rest } = item as Record<string, unknown> & { sk: string };
    if (sk === 'PROFILE') out.profile = rest as unknown as Subscriber;
    else if (sk.startsWith('EVT#')) out.ledger.push(rest as unknown as StoredLedgerEvent);
    else if (sk.startsWith('SUPP#')) out.suppressions.push(rest as unknown as Suppression & { scope: string });
    else if (sk.startsWith('SEND#')) out.sends.push(rest);
    else if (sk.startsWith('INQ#')) out.inquiryRefs.push(sk.slice(4));
    else out.other.push({ sk, ...rest });
  }
  return out;
}

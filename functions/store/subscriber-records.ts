import type { EmailId } from '../core/email-id';
import type { StoredLedgerEvent } from '../core/ledger';
import type { Subscriber, Suppression } from '../core/subscriber';
import type { Db } from './client';
import { keys } from './keys';
import { queryPartition } from './query';
import { sealLedger } from './subscribers';

/** Everything stored under one address's partition, sorted by kind (access pattern 3). */
export interface SubscriberRecords {
  profile?: Subscriber;
  ledger: StoredLedgerEvent[];
  suppressions: (Suppression & { scope: string })[];
  sends: Record<string, unknown>[];
  inquiryRefs: string[];
  /** Items of kinds this reader does not know yet, so that nothing is silently left out. */
  other: Record<string, unknown>[];
}

export async function readSubscriberRecords(db: Db, emailId: EmailId): Promise<SubscriberRecords> {
  // An export or an officer's view shows the ledger whole and chained.
  await sealLedger(db, emailId);
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

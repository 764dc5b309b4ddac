/**
 * Everything held about an address across brands (GET /admin/subscribers/{email}):
 * normalize, then one query of the address's partition (access pattern 3).
 */
import { NotFoundError } from '../core/errors';
import type { Deps } from '../deps';
import { readSubscriberRecords } from '../store/subscriber-records';
import { addressOrThrow } from './suppression-input';

export async function showSubscriber(deps: Pick<Deps, 'db' | 'emailIdOf'>, input: { email: string }) {
  const email = addressOrThrow(input.email);
  const emailId = deps.emailIdOf(email);
  const records = await readSubscriberRecords(deps.db, emailId);
  if (
    !records.profile &&
    records.ledger.length === 0 &&
    records.suppressions.length === 0 &&
    records.sends.length === 0 &&
    records.inquiryRefs.length === 0 &&
    records.other.length === 0
  ) {
    throw new NotFoundError('Nothing is held about this address.');
  }
  return { emailId, ...records };
}

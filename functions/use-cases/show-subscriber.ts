/**
 * Everything held about an address across brands (GET /admin/subscribers/{email}):
 * normalize, then one query of the address's partition (access pattern 3), and whether an
 * erasure's sealed proof of consent is held and until when (never its content: that is read only
 * at GET /admin/consent-proofs/{email}).
 */
import { NotFoundError } from '../core/errors';
import type { Deps } from '../deps';
import { getConsentProofHold } from '../store/consent-proofs';
import { readSubscriberRecords } from '../store/subscriber-records';
import { addressOrThrow } from './suppression-input';

export async function showSubscriber(deps: Pick<Deps, 'clock' | 'db' | 'emailIdOf'>, input: { email: string }) {
  const email = addressOrThrow(input.email);
  const emailId = deps.emailIdOf(email);
  const [records, proof] = await Promise.all([readSubscriberRecords(deps.db, emailId), getConsentProofHold(deps.db, emailId, deps.clock.now())]);
  const consentProof = proof ? { held: true as const, deleteAfter: proof.deleteAfter } : null;
  if (
    !consentProof &&
    !records.profile &&
    records.ledger.length === 0 &&
    records.suppressions.length === 0 &&
    records.sends.length === 0 &&
    records.inquiryRefs.length === 0 &&
    records.other.length === 0
  ) {
    throw new NotFoundError('Nothing is held about this address.');
  }
  return { emailId, ...records, consentProof };
}

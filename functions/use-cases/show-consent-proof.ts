/**
 * The sealed proof of consent an erasure kept (GET /admin/consent-proofs/{email}), opened:
 * 1. Normalize the address and key it.
 * 2. Read the proof; none, or one past its `deleteAfter` (TTL deletes late), is a 404.
 * 3. Open it with the privileged function's key (the keyed hash of the address is its additional
 *    data, so a proof moved onto another address does not open).
 * 4. Hold it against the redacted ledger, whose chain kept each event's content hash.
 */
import type { ConsentProof } from '../core/consent-proof';
import { proofMatchesLedger } from '../core/consent-proof';
import { NotFoundError } from '../core/errors';
import { type StoredLedgerEvent, verifyLedger } from '../core/ledger';
import type { Deps } from '../deps';
import { getConsentProof } from '../store/consent-proofs';
import { readSubscriberRecords } from '../store/subscriber-records';
import { addressOrThrow } from './suppression-input';

export interface OpenedConsentProof extends ConsentProof {
  /** Whether the ledger's chain verifies and every consent of the proof is the event it holds at that place. */
  matchesLedger: boolean;
}

export async function showConsentProof(
  deps: Pick<Deps, 'clock' | 'consentProofs' | 'db' | 'emailIdOf'>,
  input: { email: string },
): Promise<OpenedConsentProof> {
  const emailId = deps.emailIdOf(addressOrThrow(input.email));
  const stored = await getConsentProof(deps.db, emailId, deps.clock.now());
  if (!stored) throw new NotFoundError('No proof of consent is held for this address.');
  if (!deps.consentProofs) throw new Error('no consent proof key here: proofs open only in the privileged function');
  const proof = deps.consentProofs.open(stored.sealed, emailId);
  const { profile, ledger: recorded } = await readSubscriberRecords(deps.db, emailId);
  const ledger = recorded.filter((e): e is StoredLedgerEvent => !('unsealed' in e));
  const chained = profile !== undefined && verifyLedger(ledger, profile.ledger).ok;
  return { ...proof, deleteAfter: stored.deleteAfter, matchesLedger: chained && proofMatchesLedger(proof, ledger) };
}

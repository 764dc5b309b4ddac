import { buildProof } from '../core/consent-proof';
import type { Deps } from '../deps';
import { putConsentProof } from '../store/consent-proofs';
import type { BegunErasure } from '../store/erasure';
import { readSubscriberRecords } from '../store/subscriber-records';

/**
 * An erasure's step that keeps the sealed proof of the person's marketing consents
 * (core/consent-proof.ts), taken before the profile loses the address and the ledger its details,
 * and before the send records go (they say when the last marketing mail went).
 * 1. Done already by an earlier run of this erasure (recorded on its `ERASURE` item): nothing.
 * 2. One query of the address's records: the address, the ledger, the send records.
 * 3. Never asked for or gave marketing consent: nothing to keep.
 * 4. Sealed with the key only the privileged functions hold, and written together with the record
 *    of this step. Without that key the erasure stops here, before anything is erased.
 */
export async function sealConsentProof(
  deps: Pick<Deps, 'clock' | 'db' | 'consentProofs'>,
  begun: BegunErasure,
  /** The inquiry's verified address, for a profile that never held one. */
  inquiryEmail: string | undefined,
): Promise<void> {
  if (begun.proofSealedAt) return;
  const records = await readSubscriberRecords(deps.db, begun.emailId);
  const proof = buildProof({
    email: records.profile?.email || inquiryEmail || '',
    ledger: records.ledger,
    sends: records.sends,
    // The erasure's own start, so that every run of it computes the same date.
    erasedAt: new Date(begun.startedAt),
  });
  if (!proof) return;
  if (!deps.consentProofs) throw new Error('no consent proof key here: an erasure cannot keep the proof of consent, so it does not start');
  await putConsentProof(deps.db, {
    emailId: begun.emailId,
    reference: begun.reference,
    sealed: deps.consentProofs.seal(proof, begun.emailId),
    deleteAfter: new Date(proof.deleteAfter),
    at: deps.clock.now(),
  });
}

/**
 * The console's look-up of an address (the privacy officer): everything held about it, as
 * GET /admin/subscribers/{email} shows it, and whether its consent ledger still verifies.
 *
 * 1. read the records as showSubscriber does (404 when nothing is held);
 * 2. check the chained events against the head on the profile (edited, removed, inserted or cut
 *    events are found); unsealed one-click events are not in the chain yet and are counted apart.
 */
import { type StoredLedgerEvent, verifyLedger } from '../core/ledger';
import type { Deps } from '../deps';
import { showSubscriber } from './show-subscriber';

export async function lookUpSubscriber(deps: Pick<Deps, 'clock' | 'db' | 'emailIdOf'>, input: { email: string }) {
  const records = await showSubscriber(deps, input);
  const chained = records.ledger.filter((e): e is StoredLedgerEvent => !('unsealed' in e && e.unsealed === true));
  const verdict = records.profile ? verifyLedger(chained, records.profile.ledger) : undefined;
  return { ...records, verdict, unsealed: records.ledger.length - chained.length };
}

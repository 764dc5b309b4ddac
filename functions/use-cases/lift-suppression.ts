/**
 * An administrator lifts a suppression (DELETE /admin/suppressions/{email}):
 *
 * 1. normalize the address; find the suppression of that brand (or the `*` one);
 * 2. refuse an erasure tombstone (it can never be lifted) and answer not-found when there is none;
 * 3. lift it, recording who and why in the ledger; lifting a bounce also clears the
 *    transient-bounce counter, so that one more soft bounce does not suppress again at once.
 */
import { liftSuppression } from '../core/consent';
import { ErasureIsPermanentError, NotFoundError } from '../core/errors';
import { own } from '../core/own';
import type { Deps } from '../deps';
import { softBounceDelete } from '../store/feedback';
import { updateSubscriber } from '../store/subscribers';
import { addressOrThrow, scopeOf } from './suppression-input';

export async function liftAddressSuppression(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emailIdOf'>,
  input: { email: string; brand?: string; note: string; actor: string },
) {
  const email = addressOrThrow(input.email);
  const scope = scopeOf(deps, input.brand);
  const emailId = deps.emailIdOf(email);
  let lifted: { reason: string; at: string } | undefined;
  let erased = false;
  await updateSubscriber(deps.db, deps.clock, emailId, (current) => {
    const existing = own(current.suppressions, scope);
    lifted = existing ? { reason: existing.reason, at: existing.at } : undefined;
    erased = existing?.reason === 'erasure';
    const d = liftSuppression(current, scope, { at: deps.clock.now(), source: 'admin', by: input.actor, reason: input.note });
    return d && { ...d, ...(existing?.reason === 'bounce' ? { extra: [softBounceDelete(deps.db, emailId)] } : {}) };
  });
  if (erased) throw new ErasureIsPermanentError();
  if (!lifted) throw new NotFoundError('There is no suppression of this address for that brand.');
  return { email, scope, lifted };
}

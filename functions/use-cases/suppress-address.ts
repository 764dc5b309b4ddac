/**
 * An administrator suppresses an address (PUT /admin/suppressions/{email}):
 *
 * 1. normalize the address;
 * 2. add the suppression for one brand or every brand; a stronger one already in place stays;
 * 3. the ledger records who did it and the note.
 */
import { suppress } from '../core/consent';
import { ValidationError } from '../core/errors';
import { own } from '../core/own';
import type { SuppressionReason } from '../core/subscriber';
import { withAddress } from '../core/suppressions';
import type { Deps } from '../deps';
import { updateSubscriber } from '../store/subscribers';
import { addressOrThrow, scopeOf } from './suppression-input';

export async function suppressAddress(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emailIdOf'>,
  input: { email: string; reason: Exclude<SuppressionReason, 'erasure'>; brand?: string; note?: string; actor: string },
) {
  const email = addressOrThrow(input.email);
  const scope = scopeOf(deps, input.brand);
  const emailId = deps.emailIdOf(email);
  const { subscriber, changed } = await updateSubscriber(deps.db, deps.clock, emailId, (current) =>
    withAddress(
      suppress(current, scope, input.reason, { at: deps.clock.now(), source: 'admin', by: input.actor, ...(input.note ? { reason: input.note } : {}) }),
      email,
    ),
  );
  const effective = own(subscriber.suppressions, scope);
  if (!effective) throw new ValidationError('The suppression could not be set.');
  return { email, changed, suppression: { ...effective, scope } };
}

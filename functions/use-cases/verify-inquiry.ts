import { ConcurrentUpdateError, NotFoundError } from '../core/errors';
import { dateOf, verifyInquiry as decideVerify, type Inquiry } from '../core/inquiry';
import type { Deps } from '../deps';
import { mailRequester } from '../mail/inquiry-mail';
import { inquiryReceived } from '../mail/templates/inquiry-received';
import { getInquiry, saveInquiryChange } from '../store/inquiries';

/**
 * The requester pressed the button of the verification page.
 * 1. Check the token (purpose `verify`) and load the inquiry (an expired one is gone).
 * 2. Decide: unverified → received, due one calendar month later; a repeat changes nothing.
 * 3. Save state and event together; on a race, read and decide again.
 * 4. Mail the acknowledgement with the reference, the due date and the status link.
 */
export async function verifyInquiry(deps: Deps, token: string): Promise<{ inquiry: Inquiry; changed: boolean }> {
  const { r } = deps.tokens.verify(token, 'verify');
  for (let attempt = 1; ; attempt++) {
    const now = deps.clock.now();
    const inq = r ? await getInquiry(deps.db, r, now) : undefined;
    if (!inq) throw new NotFoundError('This inquiry no longer exists; please send it again.');
    const change = decideVerify(inq, now);
    if (!change) return { inquiry: inq, changed: false };
    try {
      await saveInquiryChange(deps.db, inq, change, deps.config.inquiryRetentionYears);
    } catch (err) {
      if (err instanceof ConcurrentUpdateError && attempt < 3) continue;
      throw err;
    }
    await mailRequester(deps, change.next, inquiryReceived, 'inquiry-received', { dueDate: dateOf(change.next.dueAt) });
    deps.logger.info('inquiry verified', { reference: inq.reference });
    return { inquiry: change.next, changed: true };
  }
}

import { ConcurrentUpdateError, NotFoundError } from '../core/errors';
import { dateOf, verifyInquiry as decideVerify, type Inquiry } from '../core/inquiry';
import type { Deps } from '../deps';
import { inquiryReceived } from '../mail/templates/inquiry-received';
import { getInquiry, saveInquiryChange } from '../store/inquiries';
import { listUnverifiedInquiriesOf } from '../store/inquiry-links';
import { mailRequester } from './mail-requester';

export interface Verification {
  /** The inquiry the link names. */
  inquiry: Inquiry;
  /** Every inquiry of the same address still unverified (the named one too, while it is). */
  pending: Inquiry[];
}

/**
 * What a verification link would verify, for its page (a GET changes nothing).
 * 1. Check the token (purpose `verify`) and load the inquiry (an expired one is gone).
 * 2. List the inquiries of the same address still unverified.
 */
export async function readVerification(deps: Pick<Deps, 'clock' | 'db' | 'tokens'>, token: string): Promise<Verification> {
  const { r } = deps.tokens.verify(token, 'verify');
  const now = deps.clock.now();
  const inquiry = r ? await getInquiry(deps.db, r, now) : undefined;
  if (!inquiry) throw new NotFoundError('This inquiry no longer exists; please send it again.');
  return { inquiry, pending: await listUnverifiedInquiriesOf(deps.db, inquiry.emailId, now) };
}

/**
 * The requester pressed the button of the verification page.
 * 1. Read the verification as its page showed it (readVerification).
 * 2. Verify every pending inquiry of the address, not only the one named: a link mailed to the
 *    address proves the mailbox, and past the mailbox's share of mail an inquiry gets no link of
 *    its own (intake-limits.ts), so this is how a stranger's five cannot shut out the owner's sixth.
 * 3. Each: unverified → received, due one calendar month later, state and event saved together;
 *    on a race, read and decide again; a repeat changes nothing.
 * 4. Mail each one verified now its acknowledgement with the reference, due date and status link.
 */
export async function verifyInquiry(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'logger' | 'mailer' | 'tokens'>,
  token: string,
): Promise<{ inquiry: Inquiry; changed: boolean; alsoVerified: Inquiry[] }> {
  const { inquiry, pending } = await readVerification(deps, token);
  let named = inquiry;
  let changed = false;
  const alsoVerified: Inquiry[] = [];
  for (const p of pending) {
    const done = await verifyOne(deps, p.reference);
    if (!done) continue;
    if (p.reference === inquiry.reference) [named, changed] = [done, true];
    else alsoVerified.push(done);
  }
  if (!changed) named = (await getInquiry(deps.db, inquiry.reference, deps.clock.now())) ?? inquiry;
  return { inquiry: named, changed, alsoVerified };
}

/** Verifies one inquiry and mails its acknowledgement; undefined when it needed nothing (or is gone). */
async function verifyOne(deps: Pick<Deps, 'clock' | 'config' | 'db' | 'logger' | 'mailer' | 'tokens'>, reference: string): Promise<Inquiry | undefined> {
  for (let attempt = 1; ; attempt++) {
    const now = deps.clock.now();
    const inq = await getInquiry(deps.db, reference, now);
    const change = inq && decideVerify(inq, now);
    if (!inq || !change) return undefined;
    try {
      await saveInquiryChange(deps.db, inq, change, deps.config.inquiryRetentionYears);
    } catch (err) {
      if (err instanceof ConcurrentUpdateError && attempt < 3) continue;
      throw err;
    }
    await mailRequester(deps, change.next, inquiryReceived, 'inquiry-received', { dueDate: dateOf(change.next.dueAt) });
    deps.logger.info('inquiry verified', { reference });
    return change.next;
  }
}

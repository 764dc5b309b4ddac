import { ConcurrentUpdateError, NotFoundError } from '../core/errors';
import { dateOf, transitionInquiry as decide, type Inquiry, type InquiryChange, type TransitionTarget } from '../core/inquiry';
import { PRIVACY_FACTS } from '../core/privacy-facts';
import { textsOf } from '../core/texts';
import type { Deps } from '../deps';
import { inquiryCompleted } from '../mail/templates/inquiry-completed';
import { inquiryExtended } from '../mail/templates/inquiry-extended';
import { inquiryRejected } from '../mail/templates/inquiry-rejected';
import { getInquiry, saveInquiryChange } from '../store/inquiries';
import type { TransactItem } from '../store/subscribers';
import { mailRequester } from './mail-requester';

export interface TransitionInquiryInput {
  reference: string;
  to: TransitionTarget;
  by: string;
  reason?: string;
  note?: string;
}

/**
 * The privacy officer moves an inquiry on.
 * 1. Load it; decide the step in the core (409 invalid-transition for an illegal one).
 * 2. Save state and event together, conditioned on the version read; on a race, decide again
 *    (so a second extension racing the first still gets 409).
 * 3. Mail what the law asks for: the extension with its reason (Art. 12(3)), the rejection with
 *    its reason and the right to complain (Art. 12(4)), the completion with the officer's note.
 */
export async function transitionInquiry(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'logger' | 'mailer' | 'tokens'>,
  input: TransitionInquiryInput,
): Promise<Inquiry> {
  const change = await applyInquiryStep(deps, input.reference, (inq, at) =>
    decide(inq, { to: input.to, at, by: input.by, ...(input.reason ? { reason: input.reason } : {}), ...(input.note ? { note: input.note } : {}) }),
  );
  await mailForStep(deps, change.next, input.to, input.reason ?? '', input.note ?? '');
  deps.logger.info('inquiry transition', { reference: input.reference, to: input.to });
  return change.next;
}

/** Read, decide, conditional write (with `extra` in the same transaction); again from the read when another writer got there first. */
export async function applyInquiryStep(
  deps: Pick<Deps, 'clock' | 'config' | 'db'>,
  reference: string,
  step: (inq: Inquiry, at: Date) => InquiryChange,
  extra: TransactItem[] = [],
): Promise<InquiryChange> {
  for (let attempt = 1; ; attempt++) {
    const now = deps.clock.now();
    const inq = await getInquiry(deps.db, reference, now);
    if (!inq) throw new NotFoundError('No such inquiry.');
    const change = step(inq, now);
    try {
      await saveInquiryChange(deps.db, inq, change, deps.config.inquiryRetentionYears, extra);
      return change;
    } catch (err) {
      if (!(err instanceof ConcurrentUpdateError) || attempt >= 3) throw err;
    }
  }
}

export async function mailForStep(
  deps: Pick<Deps, 'config' | 'db' | 'mailer' | 'tokens'>,
  inq: Inquiry,
  to: TransitionTarget,
  reason: string,
  note: string,
  email?: string,
): Promise<void> {
  if (!inq.email && !email) return;
  if (to === 'extended') {
    await mailRequester(deps, inq, inquiryExtended, 'inquiry-extended', { dueDate: dateOf(inq.dueAt), reason }, email);
  } else if (to === 'rejected') {
    await mailRequester(deps, inq, inquiryRejected, 'inquiry-rejected', { reason, authority: PRIVACY_FACTS[inq.locale].supervisoryAuthority }, email);
  } else if (to === 'completed') {
    await mailRequester(deps, inq, inquiryCompleted, 'inquiry-completed', { note: note || textsOf(inq.locale).inquiries.done.other }, email);
  }
}

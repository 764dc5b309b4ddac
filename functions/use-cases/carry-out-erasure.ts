import { type ChangeContext, erase } from '../core/consent';
import { proofDeleteAfter } from '../core/consent-proof';
import { InvalidTransitionError } from '../core/errors';
import { transitionInquiry as decide, type Inquiry, OPEN_STATUSES, redactInquiry } from '../core/inquiry';
import type { Subscriber } from '../core/subscriber';
import { textsOf } from '../core/texts';
import type { Deps } from '../deps';
import { claimRecipient, finishRecipient, getCampaign } from '../store/campaigns';
import { extendConsentProof } from '../store/consent-proofs';
import {
  type BegunErasure,
  beginErasure,
  claimCompletionMail,
  deleteSendingItems,
  endErasure,
  endErasureWrite,
  listBegunErasures,
  redactLedger,
  releaseCompletionMail,
} from '../store/erasure';
import { findCampaignsHolding, stripClaimedRecipient } from '../store/erasure-recipients';
import { deleteExport } from '../store/exports';
import { getInquiry } from '../store/inquiries';
import { readSubscriberRecords } from '../store/subscriber-records';
import { updateSubscriber } from '../store/subscribers';
import { CLAIM_TIMEOUT_MS } from './deliver-batch';
import { sealConsentProof } from './seal-consent-proof';
import { applyInquiryStep, mailForStep } from './transition-inquiry';

/** A begun erasure this old was left by a run that stopped (a live one takes seconds): the scheduler finishes it. */
export const ERASURE_RESUME_AFTER_MS = 15 * 60 * 1000;

/**
 * Erases the person of an open erasure inquiry, in an order that a run stopped at any point
 * leaves finishable, by running it again (the inquiry stays open until the last step) or by the
 * scheduler (`finishBegunErasures`). Every step but the last is idempotent, and the address the
 * completion mail goes to stays on this inquiry until the last step.
 * 1. Record that the erasure began (who, the officer's note).
 * 2. The sealed proof of the person's marketing consents, which the law keeps a while
 *    (seal-consent-proof.ts), recorded on the record of step 1.
 * 3. The profile becomes the erased tombstone with its `*` erasure suppression.
 * 4. The ledger's details are redacted (the `erased` event stays).
 * 5. Campaign recipients holding the address: pending → `skipped: erased` and a dead worker's
 *    claim → `failed: interrupted`, each through the worker's own claim and finish (so the
 *    counts add up); a live claim loses the address and data (its worker records the result),
 *    and the proof of step 2 is kept a month after the latest that worker can still mail.
 * 6. Send records, subscribe windows and bounce counters are deleted.
 * 7. The address's other inquiries are stripped, and every export of its inquiries deleted.
 * 8. The completion mail, claimed first (and given back if SES refuses it), so it goes once.
 * 9. This inquiry is completed and stripped, and the record of step 1 deleted, in one transaction.
 */
export async function carryOutErasure(
  deps: Pick<Deps, 'clock' | 'config' | 'consentProofs' | 'db' | 'mailer' | 'random' | 'tokens'>,
  inq: Inquiry,
  request: { by: string; note: string },
): Promise<Inquiry> {
  const begun = await beginErasure(deps.db, {
    reference: inq.reference,
    emailId: inq.emailId,
    by: request.by,
    startedAt: deps.clock.now().toISOString(),
    ...(request.note ? { note: request.note } : {}),
  });
  return (await finishErasure(deps, inq, begun)) as Inquiry;
}

/** The scheduler's part: finishes every erasure that began long enough ago and was not completed. */
export async function finishBegunErasures(
  deps: Pick<Deps, 'clock' | 'config' | 'consentProofs' | 'db' | 'logger' | 'mailer' | 'random' | 'tokens'>,
): Promise<number> {
  const now = deps.clock.now();
  let finished = 0;
  for (const begun of await listBegunErasures(deps.db)) {
    if (now.getTime() - new Date(begun.startedAt).getTime() < ERASURE_RESUME_AFTER_MS) continue;
    try {
      await finishErasure(deps, await getInquiry(deps.db, begun.reference, now), begun);
      finished++;
    } catch (error) {
      // The next run tries again; the others need not wait for this one.
      deps.logger.warn('erasure not finished', { reference: begun.reference, error });
    }
  }
  return finished;
}

async function finishErasure(
  deps: Pick<Deps, 'clock' | 'config' | 'consentProofs' | 'db' | 'mailer' | 'random' | 'tokens'>,
  inq: Inquiry | undefined,
  begun: BegunErasure,
): Promise<Inquiry | undefined> {
  const open = inq !== undefined && OPEN_STATUSES.includes(inq.status);
  await sealConsentProof(deps, begun, inq?.email || undefined);
  await eraseData(deps, begun, open ? begun.reference : undefined);
  if (!inq || !open) {
    // Closed some other way meanwhile (rejected): the person is erased all the same, nothing is mailed.
    await endErasure(deps.db, begun.reference);
    return inq;
  }
  await sendCompletionMail(deps, inq, begun);
  const { next } = await applyInquiryStep(
    deps,
    inq.reference,
    (current, at) => {
      const done = decide(current, { to: 'completed', at, by: begun.by, note: begun.note || 'fulfilled: erasure' });
      return { ...done, next: redactInquiry(done.next, at, begun.by)?.next ?? done.next };
    },
    [endErasureWrite(deps.db, inq.reference)],
  );
  return next;
}

const isTombstone = (s: Subscriber) => s.status === 'erased' && s.email === undefined && s.name === undefined;

/** Steps 3 to 7; `keep` is the inquiry that must keep its address for the completion mail. */
async function eraseData(deps: Pick<Deps, 'clock' | 'config' | 'db'>, begun: BegunErasure, keep: string | undefined): Promise<void> {
  const ctx: ChangeContext = { at: deps.clock.now(), source: 'inquiry', by: begun.by, ref: begun.reference };
  await updateSubscriber(deps.db, deps.clock, begun.emailId, (current) => (isTombstone(current) ? undefined : erase(current, ctx)));
  await redactLedger(deps.db, begun.emailId, (type) => type === 'erased');
  await settleCampaignRecipients(deps, begun);
  await deleteSendingItems(deps.db, begun.emailId);
  await stripInquiries(deps, begun, keep);
}

async function settleCampaignRecipients(deps: Pick<Deps, 'clock' | 'db'>, begun: BegunErasure): Promise<void> {
  // One claim id per erasure, so that a re-run finishes a claim its stopped predecessor took.
  const claimId = `erasure-${begun.reference}`;
  for (const campaignId of await findCampaignsHolding(deps.db, begun.emailId)) {
    const campaign = await getCampaign(deps.db, campaignId);
    const target = {
      campaignId,
      brand: campaign?.brand ?? '',
      topic: campaign?.topic ?? '',
      category: campaign?.category ?? 'marketing',
      counters: campaign !== undefined,
    };
    const at = deps.clock.now().toISOString();
    const outcome = await claimRecipient(deps.db, campaignId, begun.emailId, { claimId, at });
    const held = outcome.claimed ? { status: 'claimed', claimId, claimedAt: at } : outcome.existing;
    if (held.status !== 'claimed') continue;
    if (held.claimId === claimId) {
      await finishRecipient(deps.db, target, begun.emailId, claimId, { status: 'skipped', reason: 'erased' }, at);
    } else if (deps.clock.now().getTime() - new Date(held.claimedAt ?? 0).getTime() >= CLAIM_TIMEOUT_MS) {
      await finishRecipient(deps.db, target, begun.emailId, held.claimId, { status: 'failed', reason: 'interrupted' }, at);
    } else if (held.claimId) {
      // Its worker may still mail the person after the proof was sealed: the proof stays a month
      // after the latest such a mail can go (the claim's timeout). Before the strip, so a re-run
      // that finds the claim gone has nothing left to extend for.
      if (target.category === 'marketing') {
        const latest = new Date(new Date(held.claimedAt ?? at).getTime() + CLAIM_TIMEOUT_MS);
        await extendConsentProof(deps.db, begun.emailId, proofDeleteAfter(new Date(begun.startedAt), latest));
      }
      await stripClaimedRecipient(deps.db, campaignId, begun.emailId, held.claimId);
    }
  }
}

async function stripInquiries(deps: Pick<Deps, 'clock' | 'config' | 'db'>, begun: BegunErasure, keep: string | undefined): Promise<void> {
  const { inquiryRefs } = await readSubscriberRecords(deps.db, begun.emailId);
  for (const reference of inquiryRefs) {
    await deleteExport(deps.db, reference);
    // One read each (a person has a few): the scheduler, which runs this too, has no batch-read right.
    const other = await getInquiry(deps.db, reference, deps.clock.now());
    if (!other || other.reference === keep || other.redacted) continue;
    await applyInquiryStep(deps, other.reference, (current, at) => {
      const change = redactInquiry(current, at, begun.by);
      if (!change) throw new InvalidTransitionError('redacted', 'redacted');
      return change;
    }).catch((err) => {
      if (!(err instanceof InvalidTransitionError)) throw err;
    });
  }
}

async function sendCompletionMail(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'mailer' | 'random' | 'tokens'>,
  inq: Inquiry,
  begun: BegunErasure,
): Promise<void> {
  if (begun.mailClaimId) return;
  const claimId = deps.random.id();
  if (!(await claimCompletionMail(deps.db, inq.reference, claimId, deps.clock.now().toISOString()))) return;
  try {
    await mailForStep(deps, inq, 'completed', '', begun.note || textsOf(inq.locale).inquiries.done.erasure);
  } catch (err) {
    await releaseCompletionMail(deps.db, inq.reference, claimId);
    throw err;
  }
}

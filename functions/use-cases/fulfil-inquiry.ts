import type { Locale } from '../core/brands';
import { epochSeconds } from '../core/clock';
import { type ChangeContext, setRestricted, unsubscribeEverything } from '../core/consent';
import { assembleExport } from '../core/data-export';
import { InvalidTransitionError, NotFoundError, ValidationError } from '../core/errors';
import { dateOf, transitionInquiry as decide, type Inquiry, type InquiryType, OPEN_STATUSES } from '../core/inquiry';
import { type RectifiedFields, rectify } from '../core/rectification';
import { textsOf } from '../core/texts';
import type { Deps } from '../deps';
import { inquiryExportReady } from '../mail/templates/inquiry-export-ready';
import { putExport } from '../store/exports';
import { getInquiries, getInquiry } from '../store/inquiries';
import { readSubscriberRecords } from '../store/subscriber-records';
import { updateSubscriber } from '../store/subscribers';
import { carryOutErasure } from './carry-out-erasure';
import { mailRequester } from './mail-requester';
import { applyInquiryStep, mailForStep } from './transition-inquiry';

export interface FulfilInquiryInput {
  reference: string;
  by: string;
  note?: string;
  /** Rectification only: the corrected values. */
  fields?: RectifiedFields & { email?: string };
}

export const EXPORT_TTL_SECONDS = 7 * 24 * 3600;

/** What the completion mail says when the officer adds no note ('' leaves it to mailForStep). */
function doneNote(type: InquiryType, locale: Locale): string {
  const done = textsOf(locale).inquiries.done;
  switch (type) {
    case 'restriction':
      return done.restriction;
    case 'objection':
    case 'withdraw-consent':
    case 'opt-out':
      return done.unsubscribedEverywhere;
    case 'rectification':
      return done.rectification;
    default:
      return '';
  }
}

/**
 * Runs the automated action of the inquiry's type, then completes it (DESIGN.md, CONTRACT.md).
 * 1. Load; only an open inquiry (received, in-progress) can be fulfilled (else 409).
 * 2. An erasure takes its own ordered, resumable steps (carry-out-erasure.ts), completion included.
 * 3. By type: access/portability → build and keep the export 7 days; restriction → restricted;
 *    objection/withdraw-consent/opt-out → every topic of every brand unsubscribed;
 *    rectification → the officer's corrected fields; question/complaint → the officer's note is
 *    the answer.
 * 4. Complete the inquiry and mail the requester (the export link, or what was done).
 */
export async function fulfilInquiry(
  deps: Pick<Deps, 'clock' | 'config' | 'consentProofs' | 'db' | 'logger' | 'mailer' | 'random' | 'tokens'>,
  input: FulfilInquiryInput,
): Promise<Inquiry> {
  const now = deps.clock.now();
  const inq = await getInquiry(deps.db, input.reference, now);
  if (!inq) throw new NotFoundError('No such inquiry.');
  if (!OPEN_STATUSES.includes(inq.status)) throw new InvalidTransitionError(inq.status, 'completed');
  const ctx: ChangeContext = { at: now, source: 'inquiry', by: input.by, ref: inq.reference };
  const note = input.note?.trim() ?? '';
  const email = inq.email;
  if (inq.type === 'erasure') {
    const done = await carryOutErasure(deps, inq, { by: input.by, note });
    deps.logger.info('inquiry fulfilled', { reference: inq.reference, type: inq.type });
    return done;
  }

  switch (inq.type) {
    case 'access':
    case 'portability': {
      const records = await readSubscriberRecords(deps.db, inq.emailId);
      const inquiries = await getInquiries(deps.db, records.inquiryRefs, now);
      const data = assembleExport({ reference: inq.reference, at: now, locale: inq.locale, email, ...records, inquiries });
      await putExport(deps.db, inq.reference, JSON.stringify(data), epochSeconds(now) + EXPORT_TTL_SECONDS);
      break;
    }
    case 'restriction':
      await updateSubscriber(deps.db, deps.clock, inq.emailId, (current) => setRestricted(current, true, ctx));
      break;
    case 'objection':
    case 'withdraw-consent':
    case 'opt-out': {
      const brands = deps.config.brands.list.map((b) => ({ id: b.id, topics: b.topics }));
      await updateSubscriber(deps.db, deps.clock, inq.emailId, (current) => unsubscribeEverything(current, brands, ctx));
      break;
    }
    case 'rectification': {
      const fields = input.fields ?? {};
      if (fields.email !== undefined) {
        throw new ValidationError('The address cannot be rectified.', [
          { path: 'fields.email', message: 'a new address is a new subscriber: ask the person to subscribe it (and to request erasure of the old one)' },
        ]);
      }
      if (fields.name === undefined && fields.locale === undefined) {
        throw new ValidationError('Say what to correct.', [{ path: 'fields', message: 'give name and/or locale' }]);
      }
      await updateSubscriber(deps.db, deps.clock, inq.emailId, (current, exists) => (exists ? rectify(current, fields, ctx) : undefined));
      break;
    }
    case 'question':
    case 'complaint':
      if (!note)
        throw new ValidationError('The answer is required.', [{ path: 'note', message: 'required for a question or complaint: it is mailed to the person' }]);
      break;
  }

  const { next } = await applyInquiryStep(deps, inq.reference, (current, at) =>
    decide(current, { to: 'completed', at, by: input.by, note: note || `fulfilled: ${current.type}` }),
  );
  const mailed = { ...next, email, ...(inq.name ? { name: inq.name } : {}) };
  if (inq.type === 'access' || inq.type === 'portability') {
    const token = deps.tokens.sign('export', { r: inq.reference }, EXPORT_TTL_SECONDS);
    await mailRequester(deps, mailed, inquiryExportReady, 'inquiry-export-ready', {
      exportUrl: `${deps.config.publicBaseUrl}/exports/${token}`,
      expiresDate: dateOf(new Date(now.getTime() + EXPORT_TTL_SECONDS * 1000).toISOString()),
    });
  } else {
    await mailForStep(deps, mailed, 'completed', '', note || doneNote(inq.type, inq.locale));
  }

  deps.logger.info('inquiry fulfilled', { reference: inq.reference, type: inq.type });
  return next;
}

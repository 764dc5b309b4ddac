import { epochSeconds } from '../core/clock';
import { normalizeEmail } from '../core/email';
import { dateOf, type Inquiry, OPEN_STATUSES } from '../core/inquiry';
import type { Deps } from '../deps';
import { inquiryDigest } from '../mail/templates/inquiry-digest';
import { inquiryReminder } from '../mail/templates/inquiry-reminder';
import { claimReminder, claimSchedulePeriod, deleteInquiry, inquiryExpiry, listInquiries } from '../store/inquiries';
import { finishBegunErasures } from './carry-out-erasure';
import { mailboxMayBeMailed } from './intake-limits';
import { mailRequester } from './mail-requester';
import { sendOwnMail } from './send-own-mail';
import { verifyUrlOf } from './submit-inquiry';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

export interface ScheduleResult {
  reminded: number;
  expired: number;
  digest: number | 'already-sent' | 'none-due';
  /** Erasures that had stopped midway and were finished now. */
  erasures: number;
}

/**
 * The inquiry clock, run by EventBridge Scheduler in AWS and by a timer in the local stack; safe to
 * run as often and as concurrently as anyone likes.
 * 1. Unverified inquiries: one reminder 24 h after intake (marked sent before sending, so it goes
 *    at most once), one mail for all those of an address that are due, within the mailbox's share
 *    of mail; past 7 days, delete (TTL does it in AWS, but late; DynamoDB Local never does).
 * 2. Finish the erasures that began and stopped midway (nobody ran them again).
 * 3. Once a day, mail the privacy officer the open inquiries due within 7 days, soonest first.
 */
export async function runInquirySchedule(
  deps: Pick<Deps, 'clock' | 'config' | 'consentProofs' | 'db' | 'emailIdOf' | 'logger' | 'mailer' | 'random' | 'tokens'>,
): Promise<ScheduleResult> {
  const now = deps.clock.now();
  const result: ScheduleResult = { reminded: 0, expired: 0, digest: 'none-due', erasures: 0 };

  // Listed as of the epoch so that the expired ones are seen too, and deleted.
  const due = new Map<string, Inquiry[]>();
  for (const inq of await listAll(deps, ['unverified'], undefined, new Date(0))) {
    const expiresAt = inquiryExpiry(inq, deps.config.inquiryRetentionYears) ?? Number.POSITIVE_INFINITY;
    if (expiresAt <= epochSeconds(now)) {
      await deleteInquiry(deps.db, inq);
      result.expired++;
      continue;
    }
    if (inq.reminderSentAt || now.getTime() - new Date(inq.createdAt).getTime() < DAY) continue;
    due.set(inq.emailId, [...(due.get(inq.emailId) ?? []), inq]);
  }
  for (const inquiries of due.values()) if (await remindAddress(deps, inquiries, now)) result.reminded++;

  result.erasures = await finishBegunErasures(deps);

  const open = await listAll(deps, [...OPEN_STATUSES], new Date(now.getTime() + 7 * DAY).toISOString(), now);
  if (open.length > 0) {
    const day = now.toISOString().slice(0, 10);
    if (await claimSchedulePeriod(deps.db, 'inquiry-digest', day, epochSeconds(now) + 8 * 24 * 3600)) {
      await mailDigest(deps, open);
      result.digest = open.length;
    } else {
      result.digest = 'already-sent';
    }
  }
  deps.logger.info('inquiry schedule', { reminded: result.reminded, expired: result.expired, digest: result.digest, erasures: result.erasures });
  return result;
}

/**
 * One reminder for all the due inquiries of one address: its link verifies every pending inquiry
 * of the address, so more mails would say nothing new, and inquiries stored past the mailbox's
 * share of mail (intake-limits.ts) must not come back a day later as a flood. Past this hour's
 * share nothing is claimed, and the next run tries again.
 */
async function remindAddress(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emailIdOf' | 'mailer' | 'tokens'>,
  inquiries: Inquiry[],
  now: Date,
): Promise<boolean> {
  const first = inquiries[0];
  const email = first && normalizeEmail(first.email);
  if (!first || !email?.ok || !(await mailboxMayBeMailed(deps, 'inq', email.email))) return false;
  const claimed: Inquiry[] = [];
  for (const inq of inquiries) if (await claimReminder(deps.db, inq, now)) claimed.push(inq);
  // The link of the newest (listed oldest first), which expires last: verifying it verifies every
  // pending inquiry of the address, so it works as long as any of them is waiting.
  const latest = claimed.at(-1);
  if (!latest) return false;
  const expiresAt = inquiryExpiry(latest, deps.config.inquiryRetentionYears) ?? epochSeconds(now);
  const verifyUrl = verifyUrlOf(deps, latest.reference, expiresAt - epochSeconds(now));
  await mailRequester(deps, latest, inquiryReminder, 'inquiry-reminder', { verifyUrl });
  return true;
}

async function listAll(deps: Pick<Deps, 'db'>, statuses: Inquiry['status'][], dueBefore: string | undefined, now: Date): Promise<Inquiry[]> {
  const all: Inquiry[] = [];
  let positions: Record<string, string | null> | undefined;
  for (;;) {
    const page = await listInquiries(deps.db, { statuses, limit: 100, now, ...(dueBefore ? { dueBefore } : {}), ...(positions ? { positions } : {}) });
    all.push(...page.items);
    if (!page.more) return all;
    positions = page.positions;
  }
}

async function mailDigest(deps: Pick<Deps, 'config' | 'db' | 'emailIdOf' | 'mailer'>, due: Inquiry[]): Promise<void> {
  const officer = normalizeEmail(deps.config.privacyOfficerEmail);
  const brand = deps.config.brands.list[0];
  if (!officer.ok || !brand) return;
  const lines = due.map((i) => `${dateOf(i.dueAt)}  ${i.reference}  ${i.brand}  ${i.type}  ${i.status}${i.extended ? ' (extended)' : ''}`).join('\n');
  await sendOwnMail(deps, {
    brand,
    locale: 'ja',
    to: officer.email,
    emailId: deps.emailIdOf(officer.email),
    template: inquiryDigest,
    kind: 'inquiry-digest',
    values: { count: String(due.length), lines },
  });
}

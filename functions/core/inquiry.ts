import type { Locale } from './brands';
import type { EmailId } from './email-id';
import { InvalidTransitionError, ValidationError } from './errors';

/**
 * Privacy inquiries (CONTRACT.md "Privacy inquiries"): what a person asked, where it stands and
 * when it is due. Pure: dates and random material come in as arguments.
 */
export const INQUIRY_TYPES = [
  'question',
  'access',
  'rectification',
  'erasure',
  'restriction',
  'objection',
  'portability',
  'withdraw-consent',
  'opt-out',
  'complaint',
] as const;
export type InquiryType = (typeof INQUIRY_TYPES)[number];

export const INQUIRY_STATUSES = ['unverified', 'received', 'in-progress', 'completed', 'rejected'] as const;
export type InquiryStatus = (typeof INQUIRY_STATUSES)[number];

/** What the privacy officer may ask for; `extended` is an event, not a status. */
export const TRANSITION_TARGETS = ['in-progress', 'extended', 'completed', 'rejected'] as const;
export type TransitionTarget = (typeof TRANSITION_TARGETS)[number];

export const OPEN_STATUSES: readonly InquiryStatus[] = ['received', 'in-progress'];
export const isClosed = (s: InquiryStatus) => s === 'completed' || s === 'rejected';

/** Types whose fulfilment hands the person a data export. */
export const EXPORT_TYPES: readonly InquiryType[] = ['access', 'portability'];

export interface Inquiry {
  reference: string;
  brand: string;
  type: InquiryType;
  status: InquiryStatus;
  emailId: EmailId;
  /** The verified (or to be verified) address; empty once erased. */
  email: string;
  name?: string;
  message: string;
  locale: Locale;
  createdAt: string;
  receivedAt?: string;
  dueAt?: string;
  extended: boolean;
  closedAt?: string;
  rejectionReason?: string;
  /** When the one verification reminder went out. */
  reminderSentAt?: string;
  /** Set when the address, name and message were removed by an erasure. */
  redacted?: boolean;
  /** Number of events so far: the version the store conditions every write on. */
  eventCount: number;
}

export interface InquiryEvent {
  at: string;
  /** `submitted`, `verified`, `in-progress`, `extended`, `completed`, `rejected`, `fulfilled`, `redacted`, `reminder-sent` */
  type: string;
  by?: string;
  note?: string;
}

export interface InquiryChange {
  next: Inquiry;
  event: InquiryEvent;
}

/** Limits checked at the edge and again here. */
export const MESSAGE_MAX = 5000;
export const NAME_MAX = 200;
export const REASON_MAX = 2000;

// Base32 without I and O (and 0, 1): a reference read aloud or typed from paper survives.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * `INQ-` and 10 characters (50 bits) from the given random bytes: short enough to read out on the
 * phone, too many to guess. Ambiguous characters (I, O, 0, 1) are not used.
 */
export function referenceFrom(random: Uint8Array): string {
  if (random.length < 7) throw new Error('a reference needs at least 7 random bytes');
  let bits = 0n;
  for (let i = 0; i < 7; i++) bits = (bits << 8n) | BigInt(random[i] ?? 0);
  let out = '';
  for (let i = 0; i < 10; i++) {
    out += ALPHABET[Number(bits & 31n)];
    bits >>= 5n;
  }
  return `INQ-${out}`;
}

export const REFERENCE_PATTERN = /^INQ-[A-HJ-NP-Z2-9]{10}$/;

/**
 * One calendar month after `date` is the same day of the next month, or that month's last day
 * when the day does not exist (Jan 31 → Feb 28, or Feb 29 in a leap year). Time of day is kept.
 * Computed in UTC.
 */
export function addCalendarMonths(date: Date, months: number): Date {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + months;
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const day = Math.min(date.getUTCDate(), lastDay);
  return new Date(Date.UTC(targetYear, targetMonth, day, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()));
}

export interface NewInquiry {
  reference: string;
  brand: string;
  type: InquiryType;
  emailId: EmailId;
  email: string;
  name?: string;
  message: string;
  locale: Locale;
}

export function newInquiry(input: NewInquiry, at: Date): InquiryChange {
  const iso = at.toISOString();
  const next: Inquiry = { ...input, status: 'unverified', createdAt: iso, extended: false, eventCount: 1 };
  return { next, event: { at: iso, type: 'submitted' } };
}

/** The address is verified: the legal clock starts (one calendar month). Repeats change nothing. */
export function verifyInquiry(inq: Inquiry, at: Date): InquiryChange | undefined {
  if (inq.status !== 'unverified') return undefined;
  const iso = at.toISOString();
  return {
    next: { ...inq, status: 'received', receivedAt: iso, dueAt: addCalendarMonths(at, 1).toISOString(), eventCount: inq.eventCount + 1 },
    event: { at: iso, type: 'verified' },
  };
}

export interface TransitionInput {
  to: TransitionTarget;
  at: Date;
  by: string;
  reason?: string;
  note?: string;
}

/**
 * The officer's steps. `extended` is allowed once, from an open status, and moves the due date to
 * three calendar months after receipt (the one month plus "two further months" of GDPR Art. 12(3));
 * counting from receipt rather than from the clamped first due date keeps Jan 31 → Apr 30, not Apr 28.
 * Extension and rejection need a reason: it is mailed to the person.
 */
export function transitionInquiry(inq: Inquiry, input: TransitionInput): InquiryChange {
  const { to, at, by } = input;
  const iso = at.toISOString();
  const open = OPEN_STATUSES.includes(inq.status);
  const illegal = () => new InvalidTransitionError(inq.status, to);
  const reason = input.reason?.trim();
  const note = input.note?.trim();
  const needReason = () => {
    if (!reason) throw new ValidationError('A reason is required: it is sent to the requester.', [{ path: 'reason', message: `required for ${to}` }]);
    return reason;
  };
  const base = { eventCount: inq.eventCount + 1 };
  const event = (type: string, text?: string): InquiryEvent => ({ at: iso, type, by, ...(text ? { note: text } : {}) });

  switch (to) {
    case 'in-progress':
      if (inq.status !== 'received') throw illegal();
      return { next: { ...inq, ...base, status: 'in-progress' }, event: event('in-progress', note) };
    case 'extended': {
      if (!open || inq.extended || !inq.receivedAt) throw illegal();
      const r = needReason();
      const dueAt = addCalendarMonths(new Date(inq.receivedAt), 3).toISOString();
      return { next: { ...inq, ...base, extended: true, dueAt }, event: event('extended', r) };
    }
    case 'completed':
      if (!open) throw illegal();
      return { next: { ...inq, ...base, status: 'completed', closedAt: iso }, event: event('completed', note) };
    case 'rejected': {
      if (!open) throw illegal();
      const r = needReason();
      return { next: { ...inq, ...base, status: 'rejected', closedAt: iso, rejectionReason: r }, event: event('rejected', r) };
    }
  }
}

/** After an erasure: the minimal record that the request was made and fulfilled, nothing personal. */
export function redactInquiry(inq: Inquiry, at: Date, by: string): InquiryChange | undefined {
  if (inq.redacted) return undefined;
  const { name: _, ...rest } = inq;
  return {
    next: { ...rest, email: '', message: '', redacted: true, eventCount: inq.eventCount + 1 },
    event: { at: at.toISOString(), type: 'redacted', by },
  };
}

/** `2026-02-28`: the date part, as mails show it (UTC); pages write dates per language (texts/dates.ts). */
export const dateOf = (iso: string | undefined): string => (iso ? iso.slice(0, 10) : '-');

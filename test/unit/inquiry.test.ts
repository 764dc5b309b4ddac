import { describe, expect, it } from 'vitest';
import type { EmailId } from '../../functions/core/email-id';
import { InvalidTransitionError, ValidationError } from '../../functions/core/errors';
import {
  addCalendarMonths,
  type Inquiry,
  newInquiry,
  REFERENCE_PATTERN,
  redactInquiry,
  referenceFrom,
  transitionInquiry,
  verifyInquiry,
} from '../../functions/core/inquiry';

const d = (iso: string) => new Date(iso);
const iso = (date: Date) => date.toISOString();

describe('addCalendarMonths', () => {
  it.each([
    ['2026-01-15T10:00:00.000Z', 1, '2026-02-15T10:00:00.000Z'],
    ['2026-01-31T10:00:00.000Z', 1, '2026-02-28T10:00:00.000Z'],
    ['2028-01-31T10:00:00.000Z', 1, '2028-02-29T10:00:00.000Z'],
    ['2100-01-31T00:00:00.000Z', 1, '2100-02-28T00:00:00.000Z'],
    ['2000-01-31T00:00:00.000Z', 1, '2000-02-29T00:00:00.000Z'],
    ['2026-03-31T23:59:59.999Z', 1, '2026-04-30T23:59:59.999Z'],
    ['2026-12-31T00:00:00.000Z', 1, '2027-01-31T00:00:00.000Z'],
    ['2026-11-30T00:00:00.000Z', 3, '2027-02-28T00:00:00.000Z'],
    ['2026-01-31T00:00:00.000Z', 3, '2026-04-30T00:00:00.000Z'],
    ['2028-02-29T00:00:00.000Z', 12, '2029-02-28T00:00:00.000Z'],
    ['2026-03-31T00:00:00.000Z', -1, '2026-02-28T00:00:00.000Z'],
  ])('%s + %i month(s) = %s', (from, n, to) => {
    expect(iso(addCalendarMonths(d(from), n))).toBe(to);
  });

  it('never gives the same day count: one month from Feb 1 is 28 days, from Mar 1 is 31', () => {
    const days = (a: string) => (addCalendarMonths(d(a), 1).getTime() - d(a).getTime()) / 86_400_000;
    expect(days('2026-02-01T00:00:00Z')).toBe(28);
    expect(days('2026-03-01T00:00:00Z')).toBe(31);
  });
});

describe('references', () => {
  it('are INQ- and 10 unambiguous base32 characters, different for different bytes', () => {
    const a = referenceFrom(Buffer.from('0123456789abcdef'));
    const b = referenceFrom(Buffer.from('1123456789abcdef'));
    expect(a).toMatch(REFERENCE_PATTERN);
    expect(a).not.toBe(b);
    expect(a.slice(4)).not.toMatch(/[IO01]/);
  });
});

const base = (): Inquiry =>
  newInquiry(
    { reference: 'INQ-ABCDEFGHJK', brand: 'livlog', type: 'access', emailId: 'x'.repeat(43) as EmailId, email: 'a@example.com', message: 'hi', locale: 'en' },
    d('2026-01-31T09:00:00Z'),
  ).next;

describe('the status machine', () => {
  it('verifies once: received, due one calendar month later', () => {
    const v = verifyInquiry(base(), d('2026-01-31T09:00:00Z'));
    expect(v?.next).toMatchObject({ status: 'received', receivedAt: '2026-01-31T09:00:00.000Z', dueAt: '2026-02-28T09:00:00.000Z', eventCount: 2 });
    expect(v && verifyInquiry(v.next, d('2026-02-01T00:00:00Z'))).toBeUndefined();
  });

  it('walks received → in-progress → completed and refuses everything after', () => {
    const r = verifyInquiry(base(), d('2026-01-31T09:00:00Z'))?.next as Inquiry;
    const at = d('2026-02-02T00:00:00Z');
    const p = transitionInquiry(r, { to: 'in-progress', at, by: 'officer' }).next;
    expect(p.status).toBe('in-progress');
    expect(() => transitionInquiry(p, { to: 'in-progress', at, by: 'officer' })).toThrow(InvalidTransitionError);
    const c = transitionInquiry(p, { to: 'completed', at, by: 'officer' });
    expect(c.next).toMatchObject({ status: 'completed', closedAt: iso(at) });
    expect(c.event).toMatchObject({ type: 'completed', by: 'officer', at: iso(at) });
    for (const to of ['in-progress', 'extended', 'completed', 'rejected'] as const) {
      expect(() => transitionInquiry(c.next, { to, at, by: 'officer', reason: 'r' })).toThrow(InvalidTransitionError);
    }
  });

  it('refuses officer steps on an unverified inquiry', () => {
    for (const to of ['in-progress', 'extended', 'completed', 'rejected'] as const) {
      expect(() => transitionInquiry(base(), { to, at: d('2026-02-01T00:00:00Z'), by: 'o', reason: 'r' })).toThrow(InvalidTransitionError);
    }
  });

  it('extends once, to three calendar months after receipt, and needs a reason', () => {
    const r = verifyInquiry(base(), d('2026-01-31T09:00:00Z'))?.next as Inquiry;
    const at = d('2026-02-10T00:00:00Z');
    expect(() => transitionInquiry(r, { to: 'extended', at, by: 'o' })).toThrow(ValidationError);
    const e = transitionInquiry(r, { to: 'extended', at, by: 'o', reason: 'many records' });
    expect(e.next).toMatchObject({ status: 'received', extended: true, dueAt: '2026-04-30T09:00:00.000Z' });
    expect(e.event).toMatchObject({ type: 'extended', note: 'many records' });
    expect(() => transitionInquiry(e.next, { to: 'extended', at, by: 'o', reason: 'again' })).toThrow(InvalidTransitionError);
  });

  it('rejects with a reason', () => {
    const r = verifyInquiry(base(), d('2026-01-31T09:00:00Z'))?.next as Inquiry;
    expect(() => transitionInquiry(r, { to: 'rejected', at: d('2026-02-01T00:00:00Z'), by: 'o' })).toThrow(ValidationError);
    expect(transitionInquiry(r, { to: 'rejected', at: d('2026-02-01T00:00:00Z'), by: 'o', reason: 'manifestly unfounded' }).next).toMatchObject({
      status: 'rejected',
      rejectionReason: 'manifestly unfounded',
    });
  });

  it('redaction keeps reference, type and dates, and nothing personal', () => {
    const r = { ...(verifyInquiry(base(), d('2026-01-31T09:00:00Z'))?.next as Inquiry), name: 'Taro' };
    const red = redactInquiry(r, d('2026-02-01T00:00:00Z'), 'o')?.next as Inquiry;
    expect(red).toMatchObject({ reference: r.reference, type: 'access', receivedAt: r.receivedAt, dueAt: r.dueAt, email: '', message: '', redacted: true });
    expect(red.name).toBeUndefined();
    expect(redactInquiry(red, d('2026-02-01T00:00:00Z'), 'o')).toBeUndefined();
  });
});

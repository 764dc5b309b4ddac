import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInquirySchedule } from '../../functions/use-cases/run-inquiry-schedule';
import { linkIn, mailsTo } from '../support/inbox';
import { admin, adminJson, BASE, mailWith, pathOf, submitOk, verifyFromMail } from '../support/inquiries';
import { createTestStack, type TestStack, uniqueEmail } from '../support/stack';

const START = '2026-06-01T00:00:00.000Z';
const HOUR = 3600 * 1000;
let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack({ now: START, config: { PRIVACY_OFFICER_EMAIL: uniqueEmail('officer') } });
});
afterAll(() => stack.dispose());

describe('the inquiry schedule (EventBridge Scheduler in AWS, a timer locally)', () => {
  it('sends one reminder 24 hours after an unverified inquiry, once, and its link verifies', async () => {
    stack.clock.set(START);
    const email = uniqueEmail('remind');
    const ref = await submitOk(stack, email, 'question');
    stack.clock.advance(23 * HOUR);
    expect((await runInquirySchedule(stack.deps)).reminded).toBe(0);
    stack.clock.advance(HOUR);
    expect((await runInquirySchedule(stack.deps)).reminded).toBe(1);
    expect((await runInquirySchedule(stack.deps)).reminded).toBe(0);
    stack.clock.advance(HOUR);
    expect((await runInquirySchedule(stack.deps)).reminded).toBe(0);
    const reminders = (await mailsTo(email)).filter((m) => m.subject.startsWith('[LivLog] Reminder'));
    expect(reminders).toHaveLength(1);
    const link = pathOf(linkIn(reminders[0] as never, `${BASE}/inquiries/verify/`) as string);
    const res = await stack.app.request(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(res.status).toBe(200);
    expect((await adminJson<{ status: string }>(stack, 'GET', `/admin/inquiries/${ref}`)).status).toBe('received');
  });

  it('treats an unverified inquiry older than 7 days as gone, and deletes it', async () => {
    stack.clock.set(START);
    const email = uniqueEmail('expire');
    const ref = await submitOk(stack, email, 'access');
    const link = pathOf(linkIn(await mailWith(email, 'confirm the address'), `${BASE}/inquiries/verify/`) as string);
    stack.clock.advance(7 * 24 * HOUR - 1000);
    expect((await admin(stack, 'GET', `/admin/inquiries/${ref}`)).status).toBe(200);
    stack.clock.advance(2000);
    // Gone even before anything deletes it (DynamoDB TTL is late; DynamoDB Local never deletes).
    expect((await admin(stack, 'GET', `/admin/inquiries/${ref}`)).status).toBe(404);
    const { expired } = await runInquirySchedule(stack.deps);
    expect(expired).toBeGreaterThanOrEqual(1);
    const listed = await adminJson<{ items: { reference: string }[] }>(stack, 'GET', '/admin/inquiries?status=unverified&limit=100');
    expect(listed.items.map((i) => i.reference)).not.toContain(ref);
    const page = await stack.app.request(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(page.status).toBeGreaterThanOrEqual(400);
    expect(page.headers.get('content-type')).toContain('text/html');
  });

  it('mails the privacy officer, once a day, the open inquiries due within 7 days (overdue ones too)', async () => {
    const officer = uniqueEmail('officer');
    const stack = await createTestStack({ now: '2026-07-01T00:00:00.000Z', config: { PRIVACY_OFFICER_EMAIL: officer } });
    try {
      const soonEmail = uniqueEmail('soon');
      const soon = await submitOk(stack, soonEmail, 'erasure');
      await verifyFromMail(stack, soonEmail);
      stack.clock.set('2026-07-20T00:00:00.000Z');
      const laterEmail = uniqueEmail('later');
      const later = await submitOk(stack, laterEmail, 'access');
      await verifyFromMail(stack, laterEmail);

      stack.clock.set('2026-07-26T00:00:00.000Z');
      const first = await runInquirySchedule(stack.deps);
      expect(first.digest).toBe(1);
      const digest = await mailWith(officer, '期限が 7 日以内');
      expect(digest.body.text).toContain(soon);
      expect(digest.body.text).toContain('2026-08-01');
      expect(digest.body.text).not.toContain(later);
      expect((await runInquirySchedule(stack.deps)).digest).toBe('already-sent');
      stack.clock.set('2026-07-27T00:00:00.000Z');
      expect((await runInquirySchedule(stack.deps)).digest).toBe(1);
      expect((await mailsTo(officer)).length).toBe(2);
      // Closed inquiries leave the digest; none left, no mail.
      await adminJson(stack, 'POST', `/admin/inquiries/${soon}/transitions`, { to: 'rejected', reason: 'duplicate' });
      stack.clock.set('2026-08-20T00:00:00.000Z');
      const late = await runInquirySchedule(stack.deps);
      expect(late.digest).toBe(1);
      stack.clock.set('2026-07-28T00:00:00.000Z');
      expect((await runInquirySchedule(stack.deps)).digest).toBe('none-due');
    } finally {
      await stack.dispose();
    }
  });
});

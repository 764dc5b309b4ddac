import { randomBytes } from 'node:crypto';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ChangeContext, confirmTopics, requestTopics } from '../../functions/core/consent';
import { type NormalizedEmail, normalizeEmail } from '../../functions/core/email';
import { type Inquiry, newInquiry, referenceFrom, transitionInquiry, verifyInquiry } from '../../functions/core/inquiry';
import type { Mailer } from '../../functions/mail/sender';
import { readCampaignCounts, readRecipients } from '../../functions/store/campaigns';
import { listBegunErasures } from '../../functions/store/erasure';
import { putExport } from '../../functions/store/exports';
import { createInquiry, getInquiry, saveInquiryChange } from '../../functions/store/inquiries';
import { getSubscriber, updateSubscriber } from '../../functions/store/subscribers';
import { runInquirySchedule } from '../../functions/use-cases/run-inquiry-schedule';
import type { InboxMail } from '../support/inbox';
import { createTestStack, TEST_ADMIN_TOKEN, type TestStack, uniqueEmail } from '../support/stack';

/**
 * Fault: an erasure stops at one of its writes, at each write in turn: that DynamoDB write throws
 * (as when the function is killed there, or DynamoDB fails it), or SES answers the completion mail
 * with an error. Then the officer fulfils it again, or, when nobody does, the scheduler finishes
 * it. Either way the end is the same: nothing in the table names the person in clear (address,
 * name, message), the sealed proof of their consents is held and opens to them (so it was written
 * before the profile lost the address and the ledger its details), the completion mail went out
 * exactly once, the inquiry is `completed`, and the campaign that still had the person pending
 * counts them `skipped: erased`.
 */
let stack: TestStack;
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);
/** The steps of the run being watched (writes and mails, in order), and the one that is to fail. */
const watch: { on: boolean; steps: string[]; failAt?: number; dead?: boolean } = { on: false, steps: [] };

function step(label: string) {
  if (!watch.on) return;
  watch.steps.push(label);
  const n = watch.steps.length;
  // `dead`: the function itself is gone from that step on, so nothing it would do after runs either.
  if (n === watch.failAt || (watch.dead && watch.failAt !== undefined && n > watch.failAt))
    throw Object.assign(new Error(`injected crash at step ${watch.failAt} (${label})`), { name: 'InjectedCrash' });
}

beforeAll(async () => {
  stack = await createTestStack({ now: '2026-05-10T03:00:00.000Z' });
  stack.deps.db.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (WRITES.has(String(context.commandName))) step(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'injectCrashAtWrite' },
  );
  const real = stack.deps.mailer;
  const mailer: Mailer = {
    send: async (mail) => {
      step('mail');
      return real.send(mail);
    },
  };
  stack.deps.mailer = mailer;
  // A campaign whose worker never comes: its recipients stay pending.
  stack.deps.campaignQueue = { enqueue: async () => {} };
});
afterAll(() => stack.dispose());

const idOf = (email: string) => stack.deps.emailIdOf((normalizeEmail(email) as { email: NormalizedEmail }).email);
const years = () => stack.deps.config.inquiryRetentionYears;
const call = (method: string, path: string, body?: unknown) =>
  stack.app.request(path, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function storeInquiry(email: string, name: string, message: string, type: Inquiry['type']): Promise<Inquiry> {
  const reference = referenceFrom(randomBytes(7));
  const created = newInquiry({ reference, brand: 'livlog', type, emailId: idOf(email), email, name, message, locale: 'en' }, stack.clock.now());
  await createInquiry(stack.deps.db, created, years());
  const verified = verifyInquiry(created.next, stack.clock.now());
  if (!verified) throw new Error('seed');
  await saveInquiryChange(stack.deps.db, created.next, verified, years());
  return verified.next;
}

/** A subscribed person with a ledger, sending bookkeeping, an answered access request with its export, a pending campaign recipient and an erasure inquiry. */
async function person(label: string) {
  const email = uniqueEmail(label);
  const name = `Name ${randomBytes(4).toString('hex')}`;
  const message = `Message ${randomBytes(4).toString('hex')}: erase me`;
  const emailId = idOf(email);
  const ctx: ChangeContext = { at: stack.clock.now(), source: 'confirmation', ip: '203.0.113.9', userAgent: 'Mozilla/5.0', wording: 'Send me news' };
  await updateSubscriber(stack.deps.db, stack.clock, emailId, (cur) => {
    const a = requestTopics(cur, 'livlog', ['newsletter'], ctx);
    const b = a && confirmTopics(a.next, 'livlog', ['newsletter'], ctx);
    if (!a || !b) throw new Error('seed');
    return { next: { ...b.next, email, name }, events: [...a.events, ...b.events] };
  });
  const at = stack.clock.now().toISOString();
  for (const item of [
    { pk: `SUB#${emailId}`, sk: `SEND#${at}#camp-old`, brand: 'livlog', topic: 'newsletter', campaignId: 'camp-old', messageId: 'msg-1', at },
    { pk: `SUB#${emailId}`, sk: 'WINDOW#livlog', at },
  ]) {
    await stack.deps.db.doc.send(new PutCommand({ TableName: stack.deps.db.tableName, Item: item }));
  }
  const access = await storeInquiry(email, name, `${message} (access)`, 'access');
  const done = transitionInquiry(access, { to: 'completed', at: stack.clock.now(), by: 'officer' });
  await saveInquiryChange(stack.deps.db, access, done, years());
  await putExport(
    stack.deps.db,
    access.reference,
    JSON.stringify({ subject: { email, name } }),
    Math.floor(stack.clock.now().getTime() / 1000) + 7 * 24 * 3600,
  );

  const campaignId = `camp-${label}-${randomBytes(3).toString('hex')}`;
  const added = await call('POST', `/v1/campaigns/${campaignId}/recipients`, {
    brand: 'livlog',
    topic: 'newsletter',
    category: 'marketing',
    campaignId,
    content: { subject: 'News', text: 'Hello {{name}}' },
    recipients: [{ email, data: { name } }],
  });
  expect(added.status).toBe(202);
  const erasure = await storeInquiry(email, name, message, 'erasure');
  return { email, name, message, emailId, campaignId, reference: erasure.reference };
}

type Person = Awaited<ReturnType<typeof person>>;

async function completionMails(email: string): Promise<number> {
  const { emails } = (await (await fetch(`${inject('sesEndpoint')}/store`)).json()) as { emails: InboxMail[] };
  return emails.filter((m) => m.destination.to.includes(email) && m.subject.includes('is completed')).length;
}

/** The end every run must reach, however it was interrupted. */
async function expectErased(p: Person, where: string) {
  const all = await stack.deps.db.doc.send(new ScanCommand({ TableName: stack.deps.db.tableName }));
  const mentions = (all.Items ?? []).filter((i) => [p.email, p.name, p.message].some((s) => JSON.stringify(i).includes(s)));
  expect(
    mentions.map((i) => `${i.pk} ${i.sk}`),
    where,
  ).toEqual([]);
  expect((await getInquiry(stack.deps.db, p.reference, stack.clock.now()))?.status, where).toBe('completed');
  expect(await completionMails(p.email), where).toBe(1);
  expect((await getSubscriber(stack.deps.db, p.emailId))?.status, where).toBe('erased');
  const rcpt = (await readRecipients(stack.deps.db, p.campaignId, [p.emailId])).get(p.emailId);
  expect(rcpt, where).toMatchObject({ status: 'skipped', reason: 'erased' });
  expect(
    (await listBegunErasures(stack.deps.db)).map((e) => e.reference),
    where,
  ).not.toContain(p.reference);
  const campaign = await readCampaignCounts(stack.deps.db, p.campaignId);
  expect(campaign?.counts, where).toEqual({ accepted: 1, pending: 0, sent: 0, skipped: 1, failed: 0 });
  expect(campaign?.skippedBy.erased, where).toBe(1);
  await expectProof(p, where);
}

/** The sealed proof of consent: one, opening to the person's address and their request and confirmation. */
async function expectProof(p: Person, where: string) {
  const res = await call('GET', `/admin/consent-proofs/${encodeURIComponent(p.email)}`);
  expect(res.status, where).toBe(200);
  const proof = (await res.json()) as { email: string; consents: { type: string; wording?: string }[]; matchesLedger: boolean };
  expect(proof.email, where).toBe(p.email);
  expect(
    proof.consents.map((c) => [c.type, c.wording]),
    where,
  ).toEqual([
    ['subscription-requested', 'Send me news'],
    ['consent-given', 'Send me news'],
  ]);
  expect(proof.matchesLedger, where).toBe(true);
}

/** Runs the fulfilment with the `n`-th write failing; returns the steps it took. */
async function fulfilFailingAt(p: Person, n: number | undefined, dead = false): Promise<{ status: number; steps: string[] }> {
  watch.steps = [];
  watch.failAt = n;
  watch.dead = dead;
  watch.on = true;
  try {
    const res = await call('POST', `/admin/inquiries/${p.reference}/fulfil`, {});
    return { status: res.status, steps: [...watch.steps] };
  } finally {
    watch.on = false;
  }
}

let steps: string[] = [];

describe('fault: an erasure killed at each of its writes', () => {
  it('without a fault, takes its steps and leaves nothing behind', async () => {
    const p = await person('clean');
    const run = await fulfilFailingAt(p, undefined);
    expect(run.status).toBe(200);
    steps = run.steps;
    expect(steps).toContain('mail');
    // Began, sealed the proof (with its record on the ERASURE item), then the tombstone and the redaction.
    expect(steps.slice(0, 3)).toEqual(['UpdateItemCommand', 'TransactWriteItemsCommand', 'TransactWriteItemsCommand']);
    await expectErased(p, 'no fault');
  });

  it('a re-run by the officer finishes an erasure killed at any step', { timeout: 60_000 }, async () => {
    expect(steps.length).toBeGreaterThan(5);
    const people = await Promise.all(steps.map((_, i) => person(`rerun${i + 1}`)));
    for (const [i, p] of people.entries()) {
      const n = i + 1;
      const where = `killed at step ${n} (${steps[i]}), then fulfilled again`;
      expect((await fulfilFailingAt(p, n)).status, where).toBe(500);
      const again = await call('POST', `/admin/inquiries/${p.reference}/fulfil`, {});
      expect(again.status, where).toBe(200);
      await expectErased(p, where);
    }
  });

  it('the scheduler finishes an erasure killed at any step after it began', { timeout: 60_000 }, async () => {
    expect(steps.length).toBeGreaterThan(5);
    const people = await Promise.all(steps.map((_, i) => person(`sched${i + 1}`)));
    for (const [i, p] of people.entries()) {
      const n = i + 1;
      const where = `killed at step ${n} (${steps[i]}), then the scheduler ran`;
      expect((await fulfilFailingAt(p, n)).status, where).toBe(500);
      // Not while a fulfilment could still be running...
      await runInquirySchedule(stack.deps);
      expect((await getInquiry(stack.deps.db, p.reference, stack.clock.now()))?.status, where).toBe('received');
      stack.clock.advance(16 * 60 * 1000);
      await runInquirySchedule(stack.deps);
      if (n === 1) {
        // Killed at its first write, the erasure had not begun: nothing changed, and the officer's re-run does it.
        expect((await getSubscriber(stack.deps.db, p.emailId))?.email, where).toBe(p.email);
        expect((await call('POST', `/admin/inquiries/${p.reference}/fulfil`, {})).status, where).toBe(200);
      }
      await expectErased(p, where);
    }
  });

  it('an erasure stopped midway and then rejected by the officer is still carried through by the scheduler, with no completion mail', async () => {
    const p = await person('rejected');
    expect((await fulfilFailingAt(p, 3)).status).toBe(500);
    const rejected = await call('POST', `/admin/inquiries/${p.reference}/transitions`, { to: 'rejected', reason: 'Not the account holder' });
    expect(rejected.status).toBe(200);
    stack.clock.advance(16 * 60 * 1000);
    expect((await runInquirySchedule(stack.deps)).erasures).toBe(1);
    const all = await stack.deps.db.doc.send(new ScanCommand({ TableName: stack.deps.db.tableName }));
    const mentions = (all.Items ?? []).filter((i) => [p.email, p.name, p.message].some((s) => JSON.stringify(i).includes(s)));
    expect(mentions.map((i) => `${i.pk} ${i.sk}`)).toEqual([]);
    await expectProof(p, 'rejected midway');
    expect((await getInquiry(stack.deps.db, p.reference, stack.clock.now()))?.status).toBe('rejected');
    expect(await completionMails(p.email)).toBe(0);
    expect((await listBegunErasures(stack.deps.db)).map((e) => e.reference)).not.toContain(p.reference);
  });

  it('killed inside the SES call, the mail stays claimed: the re-run finishes everything else and never sends it a second time', async () => {
    const p = await person('in-ses');
    const mailStep = steps.indexOf('mail') + 1;
    expect(mailStep).toBeGreaterThan(0);
    expect((await fulfilFailingAt(p, mailStep, true)).status).toBe(500);
    expect((await call('POST', `/admin/inquiries/${p.reference}/fulfil`, {})).status).toBe(200);
    expect((await getInquiry(stack.deps.db, p.reference, stack.clock.now()))?.status).toBe('completed');
    const all = await stack.deps.db.doc.send(new ScanCommand({ TableName: stack.deps.db.tableName }));
    expect((all.Items ?? []).filter((i) => JSON.stringify(i).includes(p.email))).toEqual([]);
    // Whether SES took it cannot be known: counted as sent, so at most once (here, not at all).
    expect(await completionMails(p.email)).toBe(0);
  });
});

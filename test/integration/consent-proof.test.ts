import { randomBytes } from 'node:crypto';
import { GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChangeContext, confirmTopics, requestTopics } from '../../functions/core/consent';
import { type Inquiry, newInquiry, referenceFrom, verifyInquiry } from '../../functions/core/inquiry';
import { claimRecipient } from '../../functions/store/campaigns';
import { createInquiry, saveInquiryChange } from '../../functions/store/inquiries';
import { updateSubscriber } from '../../functions/store/subscribers';
import { linkIn } from '../support/inbox';
import { admin, adminJson, BASE, mailWith, pathOf, submitOk, verifyFromMail } from '../support/inquiries';
import { createTestStack, emailIdFor, type TestStack, uniqueEmail } from '../support/stack';

/**
 * An erasure keeps the proof of the person's marketing consents, sealed, for one calendar month
 * after the later of the erasure and the last marketing mail (CONTRACT.md "Privacy inquiries"),
 * readable only at GET /admin/consent-proofs/{email}.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack({ now: '2026-05-10T03:00:00.000Z' });
});
afterAll(() => stack.dispose());

const WORDING = 'Yes, send me the LivLog newsletter';
const years = () => stack.deps.config.inquiryRetentionYears;

/** A person who asked for and confirmed the newsletter (wording, IP, policy version recorded) and was mailed at the given times. */
async function seed(email: string, sends: { at: string; category?: string }[] = []) {
  const emailId = emailIdFor(stack, email);
  const ctx = (source: ChangeContext['source']): ChangeContext => ({
    at: stack.clock.now(),
    source,
    ip: '198.51.100.23',
    userAgent: 'Mozilla/5.0 (proof)',
    wording: WORDING,
    policyVersion: '2026-04-01',
  });
  await updateSubscriber(stack.deps.db, stack.clock, emailId, (cur) => {
    const a = requestTopics(cur, 'livlog', ['newsletter'], ctx('subscription-request'));
    const b = a && confirmTopics(a.next, 'livlog', ['newsletter'], ctx('confirmation'));
    if (!a || !b) throw new Error('seed');
    return { next: { ...b.next, email, name: 'Hanako Proof' }, events: [...a.events, ...b.events] };
  });
  for (const [i, s] of sends.entries()) {
    await stack.deps.db.doc.send(
      new PutCommand({
        TableName: stack.deps.db.tableName,
        Item: { pk: `SUB#${emailId}`, sk: `SEND#${s.at}#camp-${i}`, brand: 'livlog', topic: 'newsletter', campaignId: `camp-${i}`, messageId: `m-${i}`, ...s },
      }),
    );
  }
  return emailId;
}

/** An erasure inquiry, verified, then fulfilled by the officer at the clock's time. */
async function erase(email: string): Promise<void> {
  const reference = referenceFrom(randomBytes(7));
  const created = newInquiry(
    { reference, brand: 'livlog', type: 'erasure', emailId: emailIdFor(stack, email), email, message: 'Erase me', locale: 'en' },
    stack.clock.now(),
  );
  await createInquiry(stack.deps.db, created, years());
  const verified = verifyInquiry(created.next as Inquiry, stack.clock.now());
  if (!verified) throw new Error('seed');
  await saveInquiryChange(stack.deps.db, created.next, verified, years());
  const res = await admin(stack, 'POST', `/admin/inquiries/${reference}/fulfil`, {});
  expect(res.status).toBe(200);
}

const proofPath = (email: string) => `/admin/consent-proofs/${encodeURIComponent(email)}`;

describe('the sealed proof of consent an erasure keeps', () => {
  it('is held after the erasure and opens to the address and each consent as recorded, matching the redacted ledger', async () => {
    const email = uniqueEmail('proof');
    await seed(email, [{ at: '2026-04-20T08:00:00.000Z', category: 'marketing' }]);
    await erase(email);
    const proof = await adminJson<Record<string, unknown> & { consents: Record<string, unknown>[] }>(stack, 'GET', proofPath(email));
    expect(proof.email).toBe(email);
    expect(proof.consents.map((c) => [c.type, c.source])).toEqual([
      ['subscription-requested', 'subscription-request'],
      ['consent-given', 'confirmation'],
    ]);
    for (const c of proof.consents) {
      expect(c).toMatchObject({
        at: '2026-05-10T03:00:00.000Z',
        wording: WORDING,
        policyVersion: '2026-04-01',
        ip: '198.51.100.23',
        userAgent: 'Mozilla/5.0 (proof)',
      });
      expect(c.changes).toEqual([expect.objectContaining({ brand: 'livlog', topic: 'newsletter' })]);
    }
    expect(proof).toMatchObject({ erasedAt: '2026-05-10T03:00:00.000Z', lastMarketingSendAt: '2026-04-20T08:00:00.000Z', matchesLedger: true });
    // The erasure is the later date here.
    expect(proof.deleteAfter).toBe('2026-06-10T03:00:00.000Z');
  });

  it('holds no address, name or consent in clear in the table: the raw item is ciphertext, with TTL at deleteAfter', async () => {
    const email = uniqueEmail('rawproof');
    const emailId = await seed(email);
    await erase(email);
    const all = await stack.deps.db.doc.send(new ScanCommand({ TableName: stack.deps.db.tableName }));
    const mentions = (all.Items ?? []).filter((i) => [email, 'Hanako Proof', WORDING, '198.51.100.23'].some((s) => JSON.stringify(i).includes(s)));
    expect(mentions.map((i) => `${i.pk} ${i.sk}`)).toEqual([]);
    const { Item } = await stack.deps.db.doc.send(new GetCommand({ TableName: stack.deps.db.tableName, Key: { pk: `PROOF#${emailId}`, sk: 'PROOF' } }));
    expect(Object.keys(Item ?? {}).sort()).toEqual(['ciphertext', 'deleteAfter', 'expiresAt', 'iv', 'keyId', 'pk', 'sk', 'tag']);
    expect(Item?.keyId).toBe('p1');
    expect(Item?.expiresAt).toBe(Math.floor(new Date('2026-06-10T03:00:00.000Z').getTime() / 1000));
    // Under the address's own partition, beside the proof, only the tombstone and its suppression remain (and the redacted ledger).
    const kept = (all.Items ?? [])
      .filter((i) => String(i.pk).endsWith(emailId))
      .map((i) => `${String(i.pk).split('#')[0]} ${String(i.sk).replace(/#.*/, '#')}`);
    expect([...new Set(kept)].sort()).toEqual(['PROOF PROOF', 'SUB EVT#', 'SUB INQ#', 'SUB PROFILE', 'SUB SUPP#']);
  });

  it('is deleted one calendar month after the last marketing mail when that went after the erasure began, Jan 31 giving Feb 28', async () => {
    stack.clock.set('2027-01-20T09:00:00.000Z');
    const email = uniqueEmail('lateproof');
    // A mail a live worker sent while the erasure ran, recorded after it began; a transactional one later still does not count.
    await seed(email, [
      { at: '2027-01-05T00:00:00.000Z', category: 'marketing' },
      { at: '2027-01-31T12:00:00.000Z', category: 'marketing' },
      { at: '2027-02-01T00:00:00.000Z', category: 'transactional' },
    ]);
    await erase(email);
    const proof = await adminJson(stack, 'GET', proofPath(email));
    expect(proof).toMatchObject({
      erasedAt: '2027-01-20T09:00:00.000Z',
      lastMarketingSendAt: '2027-01-31T12:00:00.000Z',
      deleteAfter: '2027-02-28T12:00:00.000Z',
    });
  });

  it("is kept a month after the latest a live worker's claim can still mail the person, counted from the claim's timeout", async () => {
    stack.clock.set('2026-09-30T23:50:00.000Z');
    // A campaign queue whose worker never comes; the test takes the worker's claim itself.
    stack.deps.campaignQueue = { enqueue: async () => {} };
    const email = uniqueEmail('liveclaim');
    const emailId = await seed(email);
    const campaignId = `camp-live-${randomBytes(3).toString('hex')}`;
    const added = await admin(stack, 'POST', `/v1/campaigns/${campaignId}/recipients`, {
      brand: 'livlog',
      topic: 'newsletter',
      category: 'marketing',
      campaignId,
      content: { subject: 'News', text: 'Hello' },
      recipients: [{ email }],
    });
    expect(added.status).toBe(202);
    const claimedAt = new Date(stack.clock.now().getTime() - 60_000).toISOString();
    expect((await claimRecipient(stack.deps.db, campaignId, emailId, { claimId: 'worker-live', at: claimedAt })).claimed).toBe(true);
    await erase(email);
    // Claimed at 23:49 on Sep 30, the mail can go until 00:04 on Oct 1: Nov 1, 00:04.
    expect(await adminJson(stack, 'GET', proofPath(email))).toMatchObject({ erasedAt: '2026-09-30T23:50:00.000Z', deleteAfter: '2026-11-01T00:04:00.000Z' });
    expect((await adminJson<{ consentProof: unknown }>(stack, 'GET', `/admin/subscribers/${encodeURIComponent(email)}`)).consentProof).toEqual({
      held: true,
      deleteAfter: '2026-11-01T00:04:00.000Z',
    });
  });

  it('is deleted one calendar month after an erasure on Jan 31 of a leap year: Feb 29', async () => {
    stack.clock.set('2028-01-31T05:00:00.000Z');
    const email = uniqueEmail('leapproof');
    await seed(email, [{ at: '2028-01-10T00:00:00.000Z', category: 'marketing' }]);
    await erase(email);
    expect(await adminJson(stack, 'GET', proofPath(email))).toMatchObject({ deleteAfter: '2028-02-29T05:00:00.000Z' });
  });

  it('is gone for every reader once past deleteAfter, though TTL has not deleted the item yet', async () => {
    stack.clock.set('2026-07-01T00:00:00.000Z');
    const email = uniqueEmail('expiring');
    const emailId = await seed(email);
    await erase(email);
    const subscriber = await adminJson<{ consentProof: unknown }>(stack, 'GET', `/admin/subscribers/${encodeURIComponent(email)}`);
    expect(subscriber.consentProof).toEqual({ held: true, deleteAfter: '2026-08-01T00:00:00.000Z' });
    stack.clock.set('2026-08-01T00:00:00.000Z');
    const res = await admin(stack, 'GET', proofPath(email));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not-found', message: expect.any(String) } });
    expect((await adminJson<{ consentProof: unknown }>(stack, 'GET', `/admin/subscribers/${encodeURIComponent(email)}`)).consentProof).toBeNull();
    const { Item } = await stack.deps.db.doc.send(new GetCommand({ TableName: stack.deps.db.tableName, Key: { pk: `PROOF#${emailId}`, sk: 'PROOF' } }));
    expect(Item).toBeDefined();
  });

  it('is a 404 in the shape of every 404 for an address of which no proof is held', async () => {
    const res = await admin(stack, 'GET', proofPath(uniqueEmail('never')));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not-found', message: expect.any(String) } });
  });

  it('the subscriber view says only that a proof is held and until when', async () => {
    stack.clock.set('2026-05-10T03:00:00.000Z');
    const email = uniqueEmail('viewproof');
    await seed(email);
    await erase(email);
    const res = await admin(stack, 'GET', `/admin/subscribers/${encodeURIComponent(email)}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text).consentProof).toEqual({ held: true, deleteAfter: '2026-06-10T03:00:00.000Z' });
    for (const s of [email, WORDING, '198.51.100.23', 'ciphertext', 'subscription-requested']) expect(text).not.toContain(s);
  });

  it('an access request of the erased address exports nothing of the proof, and the public preference answer shows none of it', async () => {
    stack.clock.set('2026-05-10T03:00:00.000Z');
    const email = uniqueEmail('exportproof');
    const emailId = await seed(email);
    await erase(email);
    const ref = await submitOk(stack, email, 'access');
    await verifyFromMail(stack, email);
    expect((await admin(stack, 'POST', `/admin/inquiries/${ref}/fulfil`, {})).status).toBe(200);
    const link = linkIn(await mailWith(email, 'Your data is ready'), `${BASE}/exports/`) as string;
    const exported = await stack.app.request(pathOf(link));
    expect(exported.status).toBe(200);
    const text = await exported.text();
    // The person is gone: no address, no consent, nothing of the sealed proof.
    for (const s of [WORDING, '198.51.100.23', 'ciphertext', 'consentProof', 'deleteAfter']) expect(text).not.toContain(s);
    expect(
      JSON.parse(text)
        .consentLedger.filter((e: { redacted?: boolean }) => !e.redacted)
        .map((e: { type: string }) => e.type),
    ).toEqual(['erased']);

    const token = stack.deps.tokens.sign('unsubscribe', { b: 'livlog', e: emailId, t: 'newsletter' });
    const prefs = await stack.app.request(`/v1/preferences/${token}`, { headers: { accept: 'application/json' } });
    expect(prefs.status).toBe(200);
    const prefsText = await prefs.text();
    for (const s of [email, WORDING, 'ciphertext', 'deleteAfter', 'consent-given']) expect(prefsText).not.toContain(s);
  });
});

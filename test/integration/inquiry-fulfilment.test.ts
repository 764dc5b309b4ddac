import { readFileSync } from 'node:fs';
import { PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChangeContext, confirmTopics, requestTopics, unsubscribeTopics } from '../../functions/core/consent';
import { type NormalizedEmail, normalizeEmail } from '../../functions/core/email';
import type { EmailId } from '../../functions/core/email-id';
import type { InquiryType } from '../../functions/core/inquiry';
import { isRedacted, verifyLedger } from '../../functions/core/ledger';
import { unlimited } from '../../functions/queue/rate-limiter';
import { claimRecipient, finishRecipient, readCampaignCounts, readRecipients, releaseClaim } from '../../functions/store/campaigns';
import { getSubscriber, listLedger, updateSubscriber } from '../../functions/store/subscribers';
import { runCampaign } from '../../functions/use-cases/run-campaign';
import { linkIn } from '../support/inbox';
import { admin, adminJson, BASE, mailWith, pathOf, submitOk, verifyFromMail } from '../support/inquiries';
import { type Schema, validate } from '../support/json-schema';
import { createTestStack, type TestStack, uniqueEmail } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack({ now: '2026-05-10T03:00:00.000Z' });
});
afterAll(() => stack.dispose());

const schema = JSON.parse(readFileSync('docs/export.schema.json', 'utf8')) as Schema;
const idOf = (email: string) => stack.deps.emailIdOf((normalizeEmail(email) as { email: NormalizedEmail }).email);

/** A person who subscribed to two brands (with consent recorded), was mailed, and has sending bookkeeping. */
async function seedSubscriber(email: string, name = 'Taro Yamada'): Promise<EmailId> {
  const emailId = idOf(email);
  const ctx: ChangeContext = { at: stack.clock.now(), source: 'confirmation', ip: '203.0.113.9', userAgent: 'Mozilla/5.0', wording: 'Send me news' };
  await updateSubscriber(stack.deps.db, stack.clock, emailId, (cur) => {
    const a = requestTopics(cur, 'livlog', ['newsletter', 'events'], ctx);
    const b = a && confirmTopics(a.next, 'livlog', ['newsletter', 'events'], ctx);
    const c = b && confirmTopics(b.next, 'cotogoto', ['promotions'], ctx);
    if (!a || !b || !c) throw new Error('seed');
    const next = {
      ...c.next,
      email,
      name,
      brands: { ...c.next.brands, livlog: { ...c.next.brands.livlog, topics: c.next.brands.livlog?.topics ?? {}, locale: 'ja' } },
    };
    return { next, events: [...a.events, ...b.events, ...c.events] };
  });
  const pk = `SUB#${emailId}`;
  const at = stack.clock.now().toISOString();
  for (const item of [
    { pk, sk: `SEND#${at}#camp-1`, brand: 'livlog', topic: 'newsletter', campaignId: 'camp-1', messageId: 'msg-1', at },
    { pk, sk: 'WINDOW#livlog', at },
    { pk, sk: 'SOFTBOUNCE', count: 1, first: at },
  ]) {
    await stack.deps.db.doc.send(new PutCommand({ TableName: stack.deps.db.tableName, Item: item }));
  }
  return emailId;
}

async function receivedInquiry(email: string, type: InquiryType, extra: Record<string, unknown> = {}) {
  const ref = await submitOk(stack, email, type, { name: 'Taro Yamada', message: `Please handle my ${type} request. My address is ${email}.`, ...extra });
  await verifyFromMail(stack, email);
  return ref;
}

const fulfil = (ref: string, body: Record<string, unknown> = {}) => admin(stack, 'POST', `/admin/inquiries/${ref}/fulfil`, body);

async function partition(pk: string) {
  const out = await stack.deps.db.doc.send(
    new QueryCommand({ TableName: stack.deps.db.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
  );
  return out.Items ?? [];
}

describe.each(['access', 'portability'] as const)('fulfilling %s', (type) => {
  it('builds the export of everything under the address, mails a 7-day link, shows it on the status page, and the export matches its schema', async () => {
    const email = uniqueEmail(type);
    await seedSubscriber(email);
    const earlier = await receivedInquiry(email, 'question');
    const ref = await receivedInquiry(email, type);
    const done = await fulfil(ref);
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ reference: ref, status: 'completed' });

    const mail = await mailWith(email, 'Your data is ready');
    const link = linkIn(mail, `${BASE}/exports/`) as string;
    expect(mail.body.text).toContain('2026-05-17');
    const res = await stack.app.request(pathOf(link));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="privacy-export-${ref}.json"`);
    const data = (await res.json()) as Record<string, unknown> & {
      subject: { email: string; name: string };
      subscriptions: unknown[];
      consentLedger: { ip?: string }[];
      sends: unknown[];
      inquiries: { reference: string }[];
      facts: { purposes: string[]; rights: string[]; recipients: string[]; retention: string[]; source: string };
    };
    expect(validate(schema, data)).toEqual([]);
    expect(data.subject).toMatchObject({ email, name: 'Taro Yamada' });
    expect(data.subscriptions).toHaveLength(3);
    expect(data.consentLedger.some((e) => e.ip === '203.0.113.9')).toBe(true);
    expect(data.sends).toHaveLength(1);
    expect(data.inquiries.map((i) => i.reference).sort()).toEqual([earlier, ref].sort());
    expect(data.facts.purposes.length * data.facts.rights.length * data.facts.recipients.length * data.facts.retention.length).toBeGreaterThan(0);

    const status = await stack.app.request(pathOf(linkIn(mail, `${BASE}/inquiries/status/`) as string));
    const html = await status.text();
    expect(html).toContain('Completed');
    const fromPage = /href="(\/exports\/[^"]+)"/.exec(html)?.[1];
    expect(fromPage).toBeTruthy();
    expect((await stack.app.request(fromPage as string)).status).toBe(200);

    // A tampered link, and any link after 7 days, get nothing.
    expect((await stack.app.request(`${pathOf(link).slice(0, -2)}AA`)).status).toBe(403);
    stack.clock.advance(7 * 24 * 3600 * 1000 + 1000);
    expect((await stack.app.request(pathOf(link))).status).toBe(403);
    expect(await (await stack.app.request(pathOf(linkIn(mail, `${BASE}/inquiries/status/`) as string))).text()).not.toContain('/exports/');
    stack.clock.set('2026-05-10T03:00:00.000Z');
  });
});

describe('fulfilling erasure', () => {
  it('leaves an erased tombstone suppressed for every brand, a verifiable redacted ledger, no address in clear anywhere, and the minimal inquiry record', async () => {
    const email = uniqueEmail('erase');
    const name = `Erin ${email.slice(6, 16)}`;
    const emailId = await seedSubscriber(email, name);
    const other = await receivedInquiry(email, 'access', { name });
    expect((await fulfil(other)).status).toBe(200);
    const ref = await receivedInquiry(email, 'erasure', { name });
    const res = await fulfil(ref);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ reference: ref, type: 'erasure', status: 'completed', email: '', message: '', redacted: true });

    const profile = await getSubscriber(stack.deps.db, emailId);
    expect(profile).toMatchObject({ status: 'erased', brands: {}, suppressions: { '*': { reason: 'erasure', source: 'inquiry' } } });
    expect(profile?.email).toBeUndefined();
    expect(profile?.name).toBeUndefined();
    const ledger = await listLedger(stack.deps.db, emailId);
    expect(verifyLedger(ledger, profile?.ledger ?? { seq: 0, hash: '' })).toEqual({ ok: true });
    expect(ledger.filter((e) => !isRedacted(e)).map((e) => (e as { type: string }).type)).toEqual(['erased']);

    const items = await partition(`SUB#${emailId}`);
    expect(items.map((i) => String(i.sk)).filter((sk) => /^(SEND#|WINDOW#|SOFTBOUNCE)/.test(sk))).toEqual([]);
    // Nothing anywhere in the table names the person: not the profile, ledger, inquiries, events or exports.
    const all = await stack.deps.db.doc.send(new ScanCommand({ TableName: stack.deps.db.tableName }));
    const mentions = (all.Items ?? []).filter((i) => JSON.stringify(i).includes(email) || JSON.stringify(i).includes(name));
    expect(mentions.map((i) => `${i.pk} ${i.sk}`)).toEqual([]);

    // The minimal record stays: reference, type, dates.
    for (const r of [ref, other]) {
      const inq = await adminJson<Record<string, unknown>>(stack, 'GET', `/admin/inquiries/${r}`);
      expect(inq).toMatchObject({ reference: r, email: '', message: '', redacted: true });
      expect(inq.receivedAt).toBeTruthy();
      expect(inq.name).toBeUndefined();
    }
    // The person was told, at the address read before it went.
    expect((await mailWith(email, 'is completed')).body.text).toContain('erased');

    // A later one-click unsubscribe (the store step behind POST /u/{token}) keeps the tombstone suppressed.
    await updateSubscriber(stack.deps.db, stack.clock, emailId, (cur) =>
      unsubscribeTopics(cur, 'livlog', ['newsletter'], { at: stack.clock.now(), source: 'one-click' }),
    );
    const after = await getSubscriber(stack.deps.db, emailId);
    expect(after?.status).toBe('erased');
    expect(after?.suppressions['*']?.reason).toBe('erasure');
    expect(after?.email).toBeUndefined();
  });
});

describe('fulfilling erasure while campaigns still hold the person', () => {
  it("settles a pending recipient `skipped: erased`, a dead worker's claim `failed: interrupted`, strips a live claim, and the counts still add up", async () => {
    // A campaign queue whose worker never comes, so the recipients stay as the test leaves them.
    stack.deps.campaignQueue = { enqueue: async () => {} };
    const email = uniqueEmail('pending');
    const name = `Pat ${email.slice(8, 18)}`;
    const bystander = uniqueEmail('bystander');
    const emailId = await seedSubscriber(email, name);
    const campaign = (id: string, recipients: { email: string; data: Record<string, string> }[]) =>
      admin(stack, 'POST', `/v1/campaigns/${id}/recipients`, {
        brand: 'livlog',
        topic: 'newsletter',
        category: 'marketing',
        campaignId: id,
        content: { subject: 'News', text: 'Hello {{name}}' },
        recipients,
      });
    const [pending, live, dead] = ['camp-erase-pending', 'camp-erase-live', 'camp-erase-dead'];
    expect(
      (
        await campaign(pending, [
          { email, data: { name } },
          { email: bystander, data: { name: 'Bystander' } },
        ])
      ).status,
    ).toBe(202);
    expect((await campaign(live, [{ email, data: { name } }])).status).toBe(202);
    expect((await campaign(dead, [{ email, data: { name } }])).status).toBe(202);
    // A worker is sending to the person in one campaign; another worker died an hour ago holding its claim.
    const now = stack.clock.now().getTime();
    expect((await claimRecipient(stack.deps.db, live, emailId, { claimId: 'worker-live', at: new Date(now).toISOString() })).claimed).toBe(true);
    expect((await claimRecipient(stack.deps.db, dead, emailId, { claimId: 'worker-dead', at: new Date(now - 3600_000).toISOString() })).claimed).toBe(true);

    expect((await fulfil(await receivedInquiry(email, 'erasure', { name }))).status).toBe(200);

    const all = await stack.deps.db.doc.send(new ScanCommand({ TableName: stack.deps.db.tableName }));
    const mentions = (all.Items ?? []).filter((i) => JSON.stringify(i).includes(email) || JSON.stringify(i).includes(name));
    expect(mentions.map((i) => `${i.pk} ${i.sk}`)).toEqual([]);

    const rcpt = async (id: string) => (await readRecipients(stack.deps.db, id, [emailId])).get(emailId);
    expect(await rcpt(pending)).toMatchObject({ status: 'skipped', reason: 'erased' });
    expect(await rcpt(dead)).toMatchObject({ status: 'failed', reason: 'interrupted' });
    expect(await rcpt(live)).toMatchObject({ status: 'claimed', claimId: 'worker-live' });
    // The bystander keeps its place and its address until the worker reaches it.
    const other = (await readRecipients(stack.deps.db, pending, [idOf(bystander)])).get(idOf(bystander));
    expect(other).toMatchObject({ status: 'pending', email: bystander });

    expect(await readCampaignCounts(stack.deps.db, pending)).toMatchObject({
      counts: { accepted: 2, pending: 1, sent: 0, skipped: 1, failed: 0 },
      skippedBy: { erased: 1 },
    });
    expect((await readCampaignCounts(stack.deps.db, dead))?.counts).toEqual({ accepted: 1, pending: 0, sent: 0, skipped: 0, failed: 1 });
    // The live worker still records its result, and then its campaign adds up too.
    const target = { campaignId: live, brand: 'livlog', topic: 'newsletter', category: 'marketing' as const, counters: true };
    const at = stack.clock.now().toISOString();
    expect(await finishRecipient(stack.deps.db, target, emailId, 'worker-live', { status: 'skipped', reason: 'erased' }, at)).toBe(true);
    expect((await readCampaignCounts(stack.deps.db, live))?.counts).toEqual({ accepted: 1, pending: 0, sent: 0, skipped: 1, failed: 0 });
  });

  it('a live claim the erasure stripped and its worker gave back ends `skipped: erased`, and the recipients after it are still sent', async () => {
    const email = uniqueEmail('released');
    const emailId = await seedSubscriber(email, 'Rel');
    const others = [uniqueEmail('after1'), uniqueEmail('after2')];
    const id = 'camp-erase-released';
    const res = await admin(stack, 'POST', `/v1/campaigns/${id}/recipients`, {
      brand: 'livlog',
      topic: 'newsletter',
      category: 'transactional',
      purpose: 'service-notice',
      campaignId: id,
      content: { subject: 'Notice', text: 'Hello' },
      recipients: [{ email }, ...others.map((e) => ({ email: e }))],
    });
    expect(res.status).toBe(202);
    expect((await claimRecipient(stack.deps.db, id, emailId, { claimId: 'worker-live', at: stack.clock.now().toISOString() })).claimed).toBe(true);
    expect((await fulfil(await receivedInquiry(email, 'erasure'))).status).toBe(200);
    // The worker's batch failed before sending: it gives the (now address-less) claim back.
    await releaseClaim(stack.deps.db, id, emailId, 'worker-live');
    await runCampaign(stack.deps, { campaignId: id }, { limiter: unlimited });
    expect((await readRecipients(stack.deps.db, id, [emailId])).get(emailId)).toMatchObject({ status: 'skipped', reason: 'erased' });
    const counts = (await readCampaignCounts(stack.deps.db, id))?.counts;
    expect(counts).toMatchObject({ accepted: 3, pending: 0, skipped: 1 });
    expect((counts?.sent ?? 0) + (counts?.skipped ?? 0) + (counts?.failed ?? 0)).toBe(3);
  });
});

describe('fulfilling restriction, objection, withdrawal of consent and opt-out', () => {
  it('restriction marks the subscriber restricted, in the ledger with the reference', async () => {
    const email = uniqueEmail('restrict');
    const emailId = await seedSubscriber(email);
    const ref = await receivedInquiry(email, 'restriction');
    expect((await fulfil(ref)).status).toBe(200);
    expect((await getSubscriber(stack.deps.db, emailId))?.status).toBe('restricted');
    const last = (await listLedger(stack.deps.db, emailId)).at(-1) as { type: string; source: string; ref: string; by: string };
    expect(last).toMatchObject({ type: 'restricted', source: 'inquiry', ref, by: 'admin' });
  });

  it.each(['objection', 'withdraw-consent', 'opt-out'] as const)('%s unsubscribes every topic of every brand, recorded as such', async (type) => {
    const email = uniqueEmail(type);
    const emailId = await seedSubscriber(email);
    const ref = await receivedInquiry(email, type);
    expect((await fulfil(ref)).status).toBe(200);
    const s = await getSubscriber(stack.deps.db, emailId);
    for (const brand of stack.deps.config.brands.list) {
      for (const topic of brand.topics) expect(s?.brands[brand.id]?.topics[topic]?.state, `${brand.id}/${topic}`).toBe('unsubscribed');
    }
    const last = (await listLedger(stack.deps.db, emailId)).at(-1) as { type: string; source: string; ref: string };
    expect(last).toMatchObject({ type: 'unsubscribed-all', source: 'inquiry', ref });
    expect((await mailWith(email, 'is completed')).body.text).toContain('every topic of every site');
  });

  it('works for an address never subscribed (a record that keeps it unsubscribed)', async () => {
    const email = uniqueEmail('never');
    const ref = await receivedInquiry(email, 'opt-out');
    expect((await fulfil(ref)).status).toBe(200);
    const s = await getSubscriber(stack.deps.db, idOf(email));
    expect(s?.brands.chroco?.topics.newsletter?.state).toBe('unsubscribed');
    expect(s?.email).toBeUndefined();
  });
});

describe('fulfilling rectification, question and complaint', () => {
  it('rectification takes the corrected name and locale; an address cannot be rectified (400)', async () => {
    const email = uniqueEmail('rectify');
    const emailId = await seedSubscriber(email);
    const ref = await receivedInquiry(email, 'rectification');
    const withEmail = await fulfil(ref, { fields: { email: 'new@example.com' } });
    expect(withEmail.status).toBe(400);
    expect(await withEmail.json()).toMatchObject({ error: { details: [{ path: 'fields.email' }] } });
    expect((await fulfil(ref, {})).status).toBe(400);
    expect((await fulfil(ref, { fields: { name: 'Jiro Yamada', locale: 'en' } })).status).toBe(200);
    const s = await getSubscriber(stack.deps.db, emailId);
    expect(s?.name).toBe('Jiro Yamada');
    expect(s?.brands.livlog?.locale).toBe('en');
    const last = (await listLedger(stack.deps.db, emailId)).at(-1) as { type: string; changes: { to: string }[] };
    expect(last.type).toBe('rectified');
    expect(JSON.stringify(last)).not.toContain('Jiro');
  });

  it.each(['question', 'complaint'] as const)('%s is completed with the officer note, which is mailed', async (type) => {
    const email = uniqueEmail(type);
    const ref = await receivedInquiry(email, type);
    expect((await fulfil(ref)).status).toBe(400);
    const res = await fulfil(ref, { note: 'We only keep your newsletter choices.' });
    expect(res.status).toBe(200);
    expect((await mailWith(email, 'is completed')).body.text).toContain('We only keep your newsletter choices.');
    const again = await fulfil(ref, { note: 'twice' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'invalid-transition' } });
  });

  it('an unverified inquiry cannot be fulfilled (409)', async () => {
    const ref = await submitOk(stack, uniqueEmail('early'), 'access');
    expect((await fulfil(ref)).status).toBe(409);
  });
});

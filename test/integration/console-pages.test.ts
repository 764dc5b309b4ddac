import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmTopics, requestTopics } from '../../functions/core/consent';
import type { InquiryType } from '../../functions/core/inquiry';
import { recordSesEvent } from '../../functions/store/feedback';
import { listInquiryEvents } from '../../functions/store/inquiries';
import { updateSubscriber } from '../../functions/store/subscribers';
import { type ConsoleClient, type ConsoleStack, consoleAs, createConsoleStack } from '../support/console-pages';
import { adminJson, latestMailWith, submitOk, verifyFromMail } from '../support/inquiries';
import { emailIdFor, type TestStack, uniqueEmail } from '../support/stack';

/**
 * The console's pages against DynamoDB Local and the local SES, each operator signed in through
 * the real sign-in and a real OpenID provider (`consoleAs`): the officer's work end to end, the suppression list, marketing's view, a
 * marketer refused, and two officers racing on one inquiry.
 */
let served: ConsoleStack;
let stack: TestStack;
let officer: ConsoleClient;
let marketer: ConsoleClient;

beforeAll(async () => {
  served = await createConsoleStack({ now: '2026-11-02T09:00:00.000Z' });
  stack = served.stack;
  officer = await consoleAs(served, 'officer');
  marketer = await consoleAs(served, 'marketer');
});
afterAll(() => served?.dispose());

const html = { accept: 'text/html' };
const get = (who: ConsoleClient, path: string) => who.request(path, { headers: html });

async function verifiedInquiry(type: InquiryType, extra: Record<string, unknown> = {}) {
  const email = uniqueEmail(type);
  const reference = await submitOk(stack, email, type, extra);
  await verifyFromMail(stack, email);
  return { email, reference };
}

const eventsOf = (reference: string) => listInquiryEvents(stack.deps.db, reference);

describe('the privacy officer', () => {
  it('finds a verified inquiry in the queue, extends it (the new due date on the page after), answers it (mailed) and sees it completed', async () => {
    const { email, reference } = await verifiedInquiry('question', { message: 'Which data do you hold about me?' });
    stack.clock.set('2026-11-28T09:00:00.000Z');

    const queue = await get(officer, '/console/inquiries?lang=en');
    expect(queue.status).toBe(200);
    const list = await queue.text();
    expect(list).toContain(`href="/console/inquiries/${reference}"`);
    // Due 2 December, seen on 28 November: marked in words, not by colour alone.
    expect(list).toMatch(new RegExp(`${reference}[\\s\\S]*?2 December 2026[\\s\\S]*?Due within 7 days`));
    expect(list).not.toContain('Which data do you hold');
    const byType = async (q: string) => (await get(officer, `/console/inquiries?${q}`)).text();
    expect(await byType('type=question&brand=livlog')).toContain(reference);
    expect(await byType('type=erasure')).not.toContain(reference);
    expect(await byType('brand=chroco')).not.toContain(reference);
    expect((await get(officer, '/console/inquiries?type=nonsense')).status).toBe(400);

    const page = await (await get(officer, `/console/inquiries/${reference}?lang=en`)).text();
    expect(page).toContain('Which data do you hold about me?');
    expect(page).toContain(`action="/console/inquiries/${reference}/transitions"`);
    expect(page).toContain(`name="csrf" value="${officer.csrf}"`);

    const extended = await officer.post(`/console/inquiries/${reference}/transitions`, [
      ['to', 'extended'],
      ['reason', 'We need to search the archive.'],
    ]);
    expect(extended.status).toBe(303);
    const after = extended.headers.get('location') ?? '';
    expect(after).toBe(`/console/inquiries/${reference}?done=extended`);
    const shown = await (await get(officer, `${after}&lang=en`)).text();
    expect(shown).toContain('The new due date is 2 February 2027.');
    expect(shown).not.toContain('Extend by two months');
    await latestMailWith(email, 'We need more time');

    const done = await officer.post(`/console/inquiries/${reference}/fulfil`, [['note', 'We hold your address and the newsletter choice.']]);
    expect(done.status).toBe(303);
    const completed = await (await get(officer, `${done.headers.get('location')}&lang=en`)).text();
    expect(completed).toContain('Completed; the requester was told.');
    expect(completed).toContain('Nothing can be done in this status.');
    const mail = await latestMailWith(email, 'completed');
    expect(`${mail.body.text ?? ''}${mail.body.html ?? ''}`).toContain('We hold your address and the newsletter choice.');
    const events = await eventsOf(reference);
    expect(events.map((e) => [e.type, e.by])).toEqual(
      expect.arrayContaining([
        ['extended', 'officer'],
        ['completed', 'officer'],
      ]),
    );
  });

  it('is shown the inquiry page again with a message when a rejection has no reason (400), and nothing is written', async () => {
    const { reference } = await verifiedInquiry('objection');
    const before = (await eventsOf(reference)).length;
    const res = await officer.post(`/console/inquiries/${reference}/transitions?lang=en`, [
      ['to', 'rejected'],
      ['reason', '  '],
    ]);
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('Enter a reason: it is mailed to the requester.');
    expect(page).toContain('href="#transition-reason"');
    expect((await eventsOf(reference)).length).toBe(before);
  });

  it('erases only after a confirmation step that shows what will be removed', async () => {
    const { email, reference } = await verifiedInquiry('erasure');
    await adminJson(stack, 'PUT', `/admin/suppressions/${encodeURIComponent(email)}`, { reason: 'manual', note: 'asked by phone' });
    // A marketing consent, so that the erasure keeps its sealed proof.
    await updateSubscriber(stack.deps.db, stack.clock, emailIdFor(stack, email), (cur) => {
      const ctx = { at: stack.clock.now(), source: 'subscription-request' as const, wording: 'Yes, send me news', policyVersion: '2026-04-01' };
      const a = requestTopics(cur, 'livlog', ['newsletter'], ctx);
      const b = a && confirmTopics(a.next, 'livlog', ['newsletter'], { ...ctx, source: 'confirmation' });
      if (!a || !b) throw new Error('seed');
      return { next: { ...b.next, email }, events: [...a.events, ...b.events] };
    });

    const first = await officer.post(`/console/inquiries/${reference}/fulfil?lang=en`, []);
    expect(first.status).toBe(200);
    const confirm = await first.text();
    expect(confirm).toContain('This erases the following at once. It cannot be undone.');
    expect(confirm).toMatch(/\d+ consent records/);
    expect(confirm).toContain('name="confirm" value="erase"');
    const still = await adminJson<{ status: string }>(stack, 'GET', `/admin/inquiries/${reference}`);
    expect(still.status).toBe('received');

    const second = await officer.post(`/console/inquiries/${reference}/fulfil`, [['confirm', 'erase']]);
    expect(second.status).toBe(303);
    const done = await adminJson<{ status: string; redacted?: boolean }>(stack, 'GET', `/admin/inquiries/${reference}`);
    expect(done).toMatchObject({ status: 'completed', redacted: true });
    const look = await (await officer.post('/console/subscribers?lang=en', [['email', email]])).text();
    expect(look).toContain('Erased');
    // Only that a proof is held and until when: one calendar month after the erasure.
    const erasedAt = stack.clock.now();
    const until = new Date(Date.UTC(erasedAt.getUTCFullYear(), erasedAt.getUTCMonth() + 1, erasedAt.getUTCDate()));
    const day = until.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    expect(look).toContain(`keeps a sealed proof of this address&#39;s marketing consents until ${day}`);
    expect(look).not.toContain('Yes, send me news');
  });

  it('rectifies the name and mail language from the fields of a rectification, and the look-up shows them', async () => {
    const { email, reference } = await verifiedInquiry('rectification');
    await adminJson(stack, 'PUT', `/admin/suppressions/${encodeURIComponent(email)}`, { reason: 'manual', brand: 'chroco' });
    const page = await (await get(officer, `/console/inquiries/${reference}?lang=en`)).text();
    expect(page).toContain('id="fulfil-name"');
    expect(page).toContain('id="fulfil-locale"');
    const nothing = await officer.post(`/console/inquiries/${reference}/fulfil?lang=en`, [['name', ' ']]);
    expect(nothing.status).toBe(400);
    expect(await nothing.text()).toContain('Enter the corrected name or choose the language.');
    const done = await officer.post(`/console/inquiries/${reference}/fulfil`, [
      ['name', 'Hanako Sato'],
      ['locale', 'ja'],
    ]);
    expect(done.status).toBe(303);
    const look = await (await officer.post('/console/subscribers?lang=en', [['email', email]])).text();
    expect(look).toContain('Hanako Sato');
  });

  it('looks up an address by a POST (never in the URL) and sees everything held with the ledger verified', async () => {
    const email = uniqueEmail('lookup');
    await adminJson(stack, 'PUT', `/admin/suppressions/${encodeURIComponent(email)}`, { reason: 'manual', brand: 'livlog', note: 'bounced by hand' });
    const form = await (await get(officer, '/console/subscribers?lang=en')).text();
    expect(form).toContain('<form method="post" action="/console/subscribers"');
    const res = await officer.post('/console/subscribers?lang=en', [['email', email]]);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain(email);
    expect(page).toContain('The 1 consent records are intact (the hash chain verifies).');
    expect(page).toMatch(/livlog[\s\S]*manual/);
  });
  it('gets the look-up form again, with what was typed and why, for an address that is not one (400) or of which nothing is held (404)', async () => {
    const bad = await officer.post('/console/subscribers?lang=en', [['email', 'taro@']]);
    expect(bad.status).toBe(400);
    const badPage = await bad.text();
    expect(badPage).toContain('Enter a valid email address, such as name@example.com.');
    expect(badPage).toContain('value="taro@"');
    expect(badPage).toContain('aria-describedby="email-error"');
    const unknown = uniqueEmail('unknown');
    const none = await officer.post('/console/subscribers?lang=en', [['email', unknown]]);
    expect(none.status).toBe(404);
    const nonePage = await none.text();
    expect(nonePage).toContain('Nothing is held about this address.');
    expect(nonePage).toContain(`value="${unknown}"`);
  });

  it('shows what a requester typed as text, never as markup', async () => {
    const { reference } = await verifiedInquiry('question', { message: '<script>alert(1)</script><b>bold</b>', name: '<i>Taro</i>' });
    const page = await (await get(officer, `/console/inquiries/${reference}`)).text();
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;');
    expect(page).toContain('&lt;i&gt;Taro&lt;/i&gt;');
    expect(page).not.toContain('<script>');
  });
});

describe('the suppression list', () => {
  it('adds, lifts only with a reason, imports a CSV with its per-line report, and exports', async () => {
    const email = uniqueEmail('supp');
    const added = await officer.post('/console/suppressions', [
      ['email', email],
      ['reason', 'manual'],
      ['brand', 'cotogoto'],
      ['note', 'asked at the counter'],
    ]);
    expect(added.status).toBe(303);
    expect(added.headers.get('location')).toBe('/console/suppressions?done=added');
    const list = await (await get(officer, '/console/suppressions?reason=manual&done=added&lang=en')).text();
    expect(list).toContain('Added to the suppression list.');
    expect(list).toContain(email);
    expect(list).toContain('asked at the counter');

    const noReason = await officer.post('/console/suppressions/lift', [
      ['email', email],
      ['brand', 'cotogoto'],
      ['reason', ''],
    ]);
    expect(noReason.status).toBe(400);
    const lifted = await officer.post('/console/suppressions/lift', [
      ['email', email],
      ['brand', 'cotogoto'],
      ['reason', 'the person asked to hear from us again'],
    ]);
    expect(lifted.status).toBe(303);
    expect(await (await get(officer, '/console/suppressions?reason=manual')).text()).not.toContain(email);

    const imported = uniqueEmail('imported');
    const csv = new FormData();
    csv.set('file', new Blob([`email,reason,brand,createdAt\n${imported},manual,,\nnot-an-address,manual,,\n`], { type: 'text/csv' }), 'list.csv');
    const report = await officer.post('/console/suppressions/import?lang=en', csv);
    expect(report.status).toBe(200);
    const text = await report.text();
    expect(text).toContain('1 lines applied (1 of them changed a record).');
    expect(text).toMatch(/<td class="num">3<\/td>\s*<td>[^<]*address/);

    const exported = await get(officer, '/console/suppressions/export?reason=manual');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('text/csv');
    const body = await exported.text();
    expect(body.split('\n')[0]).toBe('email,reason,brand,createdAt\r');
    expect(body).toContain(`${imported},manual,,`);
  });
});

async function campaign(id: string, at: string) {
  stack.clock.set(at);
  const recipients = [uniqueEmail('c'), uniqueEmail('c')].map((email) => ({ email }));
  await adminJson(
    stack,
    'POST',
    `/v1/campaigns/${id}/recipients`,
    {
      brand: 'livlog',
      topic: 'newsletter',
      category: 'marketing',
      campaignId: id,
      content: { subject: 'News', text: 'Hello' },
      recipients: [...recipients, { email: 'not an address' }],
    },
    202,
  );
  for (let i = 0; i < 50; i++) {
    const p = await adminJson<{ counts: { pending: number } }>(stack, 'GET', `/v1/campaigns/${id}`);
    if (p.counts.pending === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`campaign ${id} did not finish`);
}

describe('marketing', () => {
  it('sees the campaigns newest first and one campaign with its counts, a progress bar and its skip reasons', async () => {
    await campaign('autumn-sale', '2026-11-10T09:00:00.000Z');
    await campaign('winter-sale', '2026-11-20T09:00:00.000Z');
    const list = await (await get(marketer, '/console/campaigns?lang=en')).text();
    const winter = list.indexOf('/console/campaigns/winter-sale');
    const autumn = list.indexOf('/console/campaigns/autumn-sale');
    expect(winter).toBeGreaterThan(0);
    expect(autumn).toBeGreaterThan(winter);

    const one = await get(marketer, '/console/campaigns/winter-sale?lang=en');
    expect(one.status).toBe(200);
    const page = await one.text();
    expect(page).toMatch(/<progress[^>]*max="3"[^>]*value="3"/);
    expect(page).toContain('100 % done');
    expect(page).toContain('<code>no-consent</code>');
    expect(page).toContain('<code>invalid-address</code>');
    expect(page).not.toMatch(/style=/);
    for (const id of ['no-such-campaign', 'x'.repeat(3000), 'a%20b']) {
      const missing = await get(marketer, `/console/campaigns/${id}`);
      expect(missing.status, id.slice(0, 20)).toBe(404);
      expect(missing.headers.get('content-type')).toContain('text/html');
    }
  });

  it('gets the overview with counts only and the rates chart beside the thresholds', async () => {
    await verifiedInquiry('access', { message: 'Secret content of an access request' });
    stack.clock.set('2026-11-29T09:00:00.000Z');
    await recordSesEvent(stack.deps.db, {
      eventId: `ev-${uniqueEmail()}`,
      detailType: 'Bounce',
      at: new Date('2026-11-27T10:00:00.000Z'),
      stats: { brand: 'livlog', day: '2026-11-27', counts: { delivered: 90, bounced: 10 } },
    });
    const res = await get(marketer, '/console?lang=en');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('Open inquiries');
    expect(page).not.toContain('INQ-');
    expect(page).not.toContain('Secret content');
    expect(page).toContain('<svg class="chart"');
    expect(page).toContain('Review threshold 5 %');
    expect(page).toContain('Review threshold 0.1 %');
    expect(page).toMatch(/<th scope="row">2026-11-27<\/th>\s*<td class="num">90<\/td>\s*<td class="num">10<\/td>/);
    expect(page).toContain('/console/campaigns/winter-sale');
    // The officer's overview names the inquiries due soonest.
    expect(await (await get(officer, '/console?lang=en')).text()).toContain('INQ-');
  });

  it('is refused (403, an HTML page) on every page and POST of the privacy officer, and never sees an inquiry', async () => {
    const { reference } = await verifiedInquiry('question', { message: 'Private question text' });
    const email = uniqueEmail('refused');
    const attempts: [string, Promise<Response>][] = [
      ['queue', get(marketer, '/console/inquiries')],
      ['inquiry', get(marketer, `/console/inquiries/${reference}`)],
      ['unknown inquiry', get(marketer, '/console/inquiries/INQ-AAAAAAAAAA')],
      ['look-up form', get(marketer, '/console/subscribers')],
      ['look-up', marketer.post('/console/subscribers', [['email', email]])],
      ['transition', marketer.post(`/console/inquiries/${reference}/transitions`, [['to', 'in-progress']])],
      ['fulfil', marketer.post(`/console/inquiries/${reference}/fulfil`, [['note', 'x']])],
      [
        'add suppression',
        marketer.post('/console/suppressions', [
          ['email', email],
          ['reason', 'manual'],
        ]),
      ],
      [
        'lift suppression',
        marketer.post('/console/suppressions/lift', [
          ['email', email],
          ['reason', 'x'],
        ]),
      ],
      ['import', marketer.post('/console/suppressions/import', [['csv', `email,reason,brand,createdAt\n${email},manual,,\n`]])],
    ];
    for (const [what, pending] of attempts) {
      const res = await pending;
      expect(res.status, what).toBe(403);
      expect(res.headers.get('content-type'), what).toContain('text/html');
      const text = await res.text();
      expect(text, what).not.toContain('Private question text');
    }
    const inquiry = await adminJson<{ status: string }>(stack, 'GET', `/admin/inquiries/${reference}`);
    expect(inquiry.status).toBe('received');
    const suppressions = await (await get(marketer, '/console/suppressions')).text();
    expect(suppressions).not.toContain('action="/console/suppressions/lift"');
    expect(suppressions).not.toContain('action="/console/suppressions/import"');
    expect(suppressions).toContain('href="/console/suppressions/export"');
  });
});

describe('two officers on one inquiry', () => {
  it('two tabs extending the same inquiry: one is extended, the other gets the 409 invalid-transition page, and one event is written', async () => {
    const { reference } = await verifiedInquiry('access');
    const other = await consoleAs(served, 'officer2');
    const step: [string, string][] = [
      ['to', 'extended'],
      ['reason', 'A large archive to search.'],
    ];
    const [a, b] = await Promise.all([
      officer.post(`/console/inquiries/${reference}/transitions?lang=en`, step),
      other.post(`/console/inquiries/${reference}/transitions?lang=en`, step),
    ]);
    expect([a.status, b.status].sort()).toEqual([303, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.headers.get('content-type')).toContain('text/html');
    const page = await loser.text();
    expect(page).toContain('This step is not possible');
    expect(page).toContain(`href="/console/inquiries/${reference}"`);
    const extended = (await eventsOf(reference)).filter((e) => e.type === 'extended');
    expect(extended).toHaveLength(1);
  });
});

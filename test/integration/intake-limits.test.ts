import { type APIGatewayProxyResult, handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NormalizedEmail, normalizeEmail } from '../../functions/core/email';
import { unsubscribeUrl } from '../../functions/mail/list-unsubscribe';
import { getSubscriber } from '../../functions/store/subscribers';
import { runInquirySchedule } from '../../functions/use-cases/run-inquiry-schedule';
import { type InboxMail, linkIn, mailsTo, waitForMails } from '../support/inbox';
import { adminJson, BASE, mailWith, pathOf } from '../support/inquiries';
import { serveOnLoopback } from '../support/serve';
import { createTestStack, type TestStack, uniqueEmail } from '../support/stack';

/**
 * Public intake that cannot be turned against people (CONTRACT.md "Errors"). These tests run with
 * the config's default per-IP limit (20 an hour); no INTAKE_LIMIT_PER_IP override here.
 */
const START = '2026-05-11T09:00:00.000Z';
const HOUR = 3600 * 1000;
let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack({ now: START });
});
afterAll(() => stack.dispose());

const peer = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });
const JSON_TYPE = { 'content-type': 'application/json' };

const subscribe = (s: TestStack, body: Record<string, unknown>, env: object) =>
  s.app.request('/v1/subscriptions', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify(body) }, env);
const inquire = (s: TestStack, body: Record<string, unknown>, env: object) =>
  s.app.request(
    '/v1/inquiries',
    { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ brand: 'livlog', type: 'question', message: 'Hello', locale: 'en', ...body }) },
    env,
  );

const idFor = (s: TestStack, addr: string) => s.deps.emailIdOf((normalizeEmail(addr) as { ok: true; email: NormalizedEmail }).email);
/** Mail reaching the mailbox of `local@example.com`, whatever plus-tag it was sent to. */
const mailboxMails = async (local: string, subject: string) => (await mailsTo(local)).filter((m) => m.subject.includes(subject));
const settle = () => new Promise((r) => setTimeout(r, 500));
const text = (m: InboxMail) => `${m.subject}\n${m.body.text ?? ''}\n${m.body.html ?? ''}`;

describe('per client IP: 20 an hour on each intake route, loopback included', () => {
  it('30 subscription requests from one IP over loopback HTTP: the first 20 are accepted, then 429 rate-limited with Retry-After, and nothing is stored or sent for those', async () => {
    const addrs = Array.from({ length: 30 }, (_, i) => uniqueEmail(`burst${i}`));
    const statuses: number[] = [];
    let last: Response | undefined;
    // Served as `npm start` serves it, so the peer is the socket's remote address.
    const served = await serveOnLoopback(stack.app.fetch);
    try {
      for (const [i, email] of addrs.entries()) {
        // What the caller says about its address changes nothing: only the socket's peer counts.
        last = await fetch(`${served.base}/v1/subscriptions`, {
          method: 'POST',
          headers: { ...JSON_TYPE, 'x-forwarded-for': `203.0.113.${i}`, forwarded: `for=203.0.113.${i}` },
          body: JSON.stringify({ brand: 'livlog', email, topics: ['newsletter'] }),
        });
        statuses.push(last.status);
      }
    } finally {
      await served.close();
    }
    expect(statuses).toEqual([...Array(20).fill(202), ...Array(10).fill(429)]);
    expect(await last?.json()).toMatchObject({ error: { code: 'rate-limited' } });
    const retryAfter = Number(last?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);

    expect(await getSubscriber(stack.deps.db, idFor(stack, addrs[25] as string))).toBeUndefined();
    await waitForMails(addrs[19] as string, 1);
    expect(await mailsTo(addrs[25] as string)).toEqual([]);
    // Another client is not affected.
    expect((await subscribe(stack, { brand: 'livlog', email: uniqueEmail('other'), topics: ['newsletter'] }, peer('127.0.0.2'))).status).toBe(202);
  });

  it('limits inquiries the same way, apart from subscriptions, and the next hour opens again', async () => {
    const ip = peer('198.51.100.31');
    // One address throughout: the IP counts requests, whatever they mail (and few mails keep this fast).
    const email = uniqueEmail('mix');
    for (let i = 0; i < 20; i++) expect((await subscribe(stack, { brand: 'chroco', email, topics: ['events'] }, ip)).status).toBe(202);
    for (let i = 0; i < 20; i++) expect((await inquire(stack, { email }, ip)).status).toBe(202);
    const over = await inquire(stack, { email: uniqueEmail('mix') }, ip);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    stack.clock.advance(HOUR);
    try {
      expect((await inquire(stack, { email: uniqueEmail('mix') }, ip)).status).toBe(202);
      expect((await subscribe(stack, { brand: 'chroco', email: uniqueEmail('mix'), topics: ['events'] }, ip)).status).toBe(202);
    } finally {
      stack.clock.set(START);
    }
  });

  it('answers a browser form past the limit with the same 429 and Retry-After, as an HTML page', async () => {
    const ip = peer('198.51.100.32');
    const email = uniqueEmail('page');
    for (let i = 0; i < 20; i++) await subscribe(stack, { brand: 'livlog', email, topics: ['newsletter'] }, ip);
    for (let i = 0; i < 20; i++) await inquire(stack, { email }, ip);
    const form = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html,application/xhtml+xml', 'accept-language': 'en' };
    const sub = await stack.app.request(
      '/v1/subscriptions',
      { method: 'POST', headers: form, body: new URLSearchParams({ brand: 'livlog', email: uniqueEmail('page'), topics: 'newsletter' }).toString() },
      ip,
    );
    const inq = await stack.app.request(
      '/v1/inquiries',
      {
        method: 'POST',
        headers: form,
        body: new URLSearchParams({ brand: 'livlog', type: 'question', email: uniqueEmail('page'), message: 'hi', website: '' }).toString(),
      },
      ip,
    );
    for (const res of [sub, inq]) {
      expect(res.status).toBe(429);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await res.text()).toContain('Too many requests');
    }
  });

  it("in Lambda, counts API Gateway's sourceIp and never X-Forwarded-For", async () => {
    const handler = handle(stack.app);
    const email = uniqueEmail('lambda');
    const event = (i: number) => ({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/v1/subscriptions',
      rawQueryString: '',
      headers: { host: 'abc123.execute-api.ap-northeast-1.amazonaws.com', 'content-type': 'application/json', 'x-forwarded-for': `192.0.2.${i}` },
      requestContext: {
        accountId: '123456789012',
        apiId: 'abc123',
        domainName: 'abc123.execute-api.ap-northeast-1.amazonaws.com',
        http: { method: 'POST', path: '/v1/subscriptions', protocol: 'HTTP/1.1', sourceIp: '198.51.100.33', userAgent: 'vitest' },
        requestId: `lambda-${i}`,
        routeKey: '$default',
        stage: '$default',
        time: '11/May/2026:09:00:00 +0000',
        timeEpoch: 1778490000000,
      },
      body: JSON.stringify({ brand: 'livlog', email, topics: ['newsletter'] }),
      isBase64Encoded: false,
    });
    const codes: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = (await handler(event(i) as unknown as LambdaEvent, {} as LambdaContext)) as APIGatewayProxyResult;
      codes.push(res.statusCode);
    }
    expect(codes).toEqual([...Array(20).fill(202), 429]);
  });

  it('never counts one-click unsubscribes: 30 from one IP all answer 200 (mailbox providers post from shared addresses)', async () => {
    for (let i = 0; i < 30; i++) {
      const path = unsubscribeUrl('', stack.deps.tokens, { brand: 'livlog', emailId: idFor(stack, uniqueEmail('oneclick')), topic: 'newsletter' });
      const res = await stack.app.request(
        path,
        { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' },
        peer('127.0.0.1'),
      );
      expect(res.status).toBe(200);
    }
  });
});

describe('per mailbox: plus-tags folded for counting only; the answer never changes', () => {
  it('8 inquiries to plus-tags of one mailbox: all 202 and stored under the address as typed, but at most 5 verification mails', async () => {
    const local = `mbox${Date.now().toString(36)}`;
    const refs: string[] = [];
    for (let i = 1; i <= 8; i++) {
      const res = await inquire(stack, { email: `${local}+tag${i}@example.com` }, peer(`198.51.100.${40 + i}`));
      expect(res.status).toBe(202);
      refs.push(((await res.json()) as { reference: string }).reference);
    }
    for (const [i, ref] of refs.entries()) {
      expect(await adminJson(stack, 'GET', `/admin/inquiries/${ref}`)).toMatchObject({ status: 'unverified', email: `${local}+tag${i + 1}@example.com` });
    }
    await waitForMails(local, 8, 1500);
    expect(await mailboxMails(local, 'confirm the address')).toHaveLength(5);
  });

  it('8 subscription requests to plus-tags of one mailbox: all 202 and pending, but at most 5 confirmation mails', async () => {
    const local = `smbox${Date.now().toString(36)}`;
    for (let i = 1; i <= 8; i++) {
      const res = await subscribe(
        stack,
        { brand: 'cotogoto', email: `${local}+tag${i}@example.com`, topics: ['newsletter'], locale: 'en' },
        peer(`198.51.100.${60 + i}`),
      );
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ status: 'pending-confirmation' });
    }
    const stored = await getSubscriber(stack.deps.db, idFor(stack, `${local}+tag8@example.com`));
    expect(stored?.email).toBe(`${local}+tag8@example.com`);
    expect(stored?.brands.cotogoto?.topics.newsletter?.state).toBe('pending');
    await waitForMails(local, 8, 1500);
    expect(await mailboxMails(local, 'Please confirm your subscription')).toHaveLength(5);
  });
});

describe('a stranger cannot lock the owner out', () => {
  const press = (s: TestStack, link: string) =>
    s.app.request(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
  const refOf = async (res: Response) => ((await res.json()) as { reference: string }).reference;
  const statusOf = async (ref: string) => (await adminJson<{ status: string }>(stack, 'GET', `/admin/inquiries/${ref}`)).status;

  it("five inquiries in the owner's name, then the owner's own erasure: 202, and the owner's verification verifies it", async () => {
    const owner = uniqueEmail('owner');
    const strangerRefs: string[] = [];
    for (let i = 0; i < 5; i++) strangerRefs.push(await refOf(await inquire(stack, { email: owner, name: 'Not the owner' }, peer('198.51.100.80'))));
    const own = await inquire(stack, { email: owner, type: 'erasure', message: 'Please erase my data' }, peer('198.51.100.81'));
    expect(own.status).toBe(202);
    const ownRef = await refOf(own);
    await waitForMails(owner, 6, 1500);
    const verifyMails = (await mailsTo(owner)).filter((m) => m.subject.includes('confirm the address'));
    // Whichever link the owner takes: the first one (a stranger's) is the hardest case.
    const link = pathOf(linkIn(verifyMails[0] as InboxMail, `${BASE}/inquiries/verify/`) as string);
    const page = await stack.app.request(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(ownRef);
    expect(html).toContain('<form method="post"');
    expect((await press(stack, link)).status).toBe(200);
    for (const ref of [...strangerRefs, ownRef]) expect(await statusOf(ref), ref).toBe('received');
    await mailWith(owner, `We have received your inquiry (${ownRef})`);
  });

  it("past every mail of the hour, the owner's inquiry is stored and answered 202 with no mail, and any earlier link verifies it", async () => {
    const owner = uniqueEmail('owner');
    // Five of the mailbox's share and the plain address's one more.
    for (let i = 0; i < 6; i++) await inquire(stack, { email: owner }, peer('198.51.100.84'));
    const own = await inquire(stack, { email: owner, type: 'erasure' }, peer('198.51.100.85'));
    expect(own.status).toBe(202);
    expect(Object.keys((await own.clone().json()) as object)).toEqual(['reference', 'status']);
    const ownRef = await refOf(own);
    await waitForMails(owner, 7, 1500);
    const verifyMails = (await mailsTo(owner)).filter((m) => m.subject.includes('confirm the address'));
    expect(verifyMails).toHaveLength(6);
    expect(await statusOf(ownRef)).toBe('unverified');
    expect((await press(stack, pathOf(linkIn(verifyMails[3] as InboxMail, `${BASE}/inquiries/verify/`) as string))).status).toBe(200);
    expect(await statusOf(ownRef)).toBe('received');
  });

  it("five inquiries to plus-tags of the owner's address use up the share, and the owner's plain address still gets its own verification mail", async () => {
    const local = `plain${Date.now().toString(36)}`;
    const owner = `${local}@example.com`;
    for (let i = 1; i <= 5; i++) expect((await inquire(stack, { email: `${local}+x${i}@example.com` }, peer('198.51.100.82'))).status).toBe(202);
    const ownRef = await refOf(await inquire(stack, { email: owner, type: 'erasure' }, peer('198.51.100.83')));
    // A link mailed to a tag verifies only that tag, so the owner needs, and gets, a link of their own.
    const mine = await mailWith(owner, 'confirm the address');
    expect(mine.destination.to).toEqual([owner]);
    expect((await press(stack, pathOf(linkIn(mine, `${BASE}/inquiries/verify/`) as string))).status).toBe(200);
    expect(await statusOf(ownRef)).toBe('received');
    // The plain address's one more is used: the next is withheld.
    await inquire(stack, { email: owner }, peer('198.51.100.83'));
    await settle();
    expect((await mailsTo(local)).filter((m) => m.subject.includes('confirm the address'))).toHaveLength(6);
  });
});

describe('no caller-written text in mail sent before the address is verified', () => {
  const name = 'Win a prize at https://evil.example\nnow';
  const message = 'Call +1 555 0100 or visit http://phish.example today';

  it('the verification mail and the reminder carry neither the name nor the message', async () => {
    const s = await createTestStack({ now: START });
    try {
      const email = uniqueEmail('relay');
      expect((await inquire(s, { email, name, message }, peer('198.51.100.90'))).status).toBe(202);
      const verify = await mailWith(email, 'confirm the address');
      s.clock.advance(25 * HOUR);
      await runInquirySchedule(s.deps);
      const reminder = await mailWith(email, 'Reminder');
      for (const m of [verify, reminder]) {
        for (const s of ['evil.example', 'Win a prize', 'phish.example', '555 0100']) expect(text(m)).not.toContain(s);
      }
    } finally {
      await s.dispose();
    }
  });

  it('the subscription confirmation does not carry the caller’s source', async () => {
    const email = uniqueEmail('source');
    const res = await subscribe(stack, { brand: 'livlog', email, topics: ['newsletter'], source: 'evil.example/claim-your-prize' }, peer('198.51.100.91'));
    expect(res.status).toBe(202);
    const [mail] = await waitForMails(email, 1);
    expect(mail).toBeDefined();
    expect(text(mail as InboxMail)).not.toContain('evil.example');
  });
});

describe('reminders cannot be turned into a flood either', () => {
  it('three unverified inquiries of one address get one reminder, whose link verifies all three', async () => {
    const s = await createTestStack({ now: START });
    try {
      const email = uniqueEmail('remind');
      const refs: string[] = [];
      for (let i = 0; i < 3; i++) refs.push(((await (await inquire(s, { email }, peer('198.51.100.95'))).json()) as { reference: string }).reference);
      s.clock.advance(25 * HOUR);
      await runInquirySchedule(s.deps);
      await runInquirySchedule(s.deps);
      await settle();
      const reminders = (await mailsTo(email)).filter((m) => m.subject.includes('Reminder'));
      expect(reminders).toHaveLength(1);
      const link = pathOf(linkIn(reminders[0] as InboxMail, `${BASE}/inquiries/verify/`) as string);
      const res = await s.app.request(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
      expect(res.status).toBe(200);
      for (const ref of refs) expect((await adminJson<{ status: string }>(s, 'GET', `/admin/inquiries/${ref}`)).status).toBe('received');
    } finally {
      await s.dispose();
    }
  });
  it("the one reminder's link names the newest inquiry, so it outlives the oldest", async () => {
    const s = await createTestStack({ now: START });
    try {
      const email = uniqueEmail('remind-newest');
      const refs: string[] = [];
      for (let i = 0; i < 2; i++) {
        refs.push(((await (await inquire(s, { email }, peer('198.51.100.96'))).json()) as { reference: string }).reference);
        s.clock.advance(20 * HOUR);
      }
      // 44 hours after the first: both are due (24 h), and the link must live past the first's 7 days.
      s.clock.advance(4 * HOUR);
      await runInquirySchedule(s.deps);
      await settle();
      const reminder = (await mailsTo(email)).find((m) => m.subject.includes('Reminder')) as InboxMail;
      const link = pathOf(linkIn(reminder, `${BASE}/inquiries/verify/`) as string);
      const token = link.split('/').at(-1) as string;
      expect(s.deps.tokens.verify(token, 'verify').r).toBe(refs[1]);
    } finally {
      await s.dispose();
    }
  });
});

import { CreateEmailTemplateCommand } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NormalizedEmail, normalizeEmail } from '../../functions/core/email';
import { UnavailableError } from '../../functions/core/errors';
import type { Subscriber } from '../../functions/core/subscriber';
import { claimRecipient } from '../../functions/store/campaigns';
import { readSubscriberRecords } from '../../functions/store/subscriber-records';
import { updateSubscriber } from '../../functions/store/subscribers';
import { filterRecipients } from '../../functions/use-cases/filter-recipients';
import { expectMarketingFooter } from '../support/footer';
import { mailsTo, waitForMails } from '../support/inbox';
import { createTestStack, TEST_ADMIN_TOKEN, type TestStack, uniqueEmail } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack({ config: { CAMPAIGN_SEND_RATE: '1000', MAILTO_UNSUBSCRIBE: 'unsubscribe@livlog.jp' } });
});
afterAll(() => stack.dispose());

const TOPICS = ['newsletter', 'promotions', 'events', 'surveys'];
const at = '2026-11-29T08:00:00.000Z';

const idOf = (s: TestStack, addr: string) => {
  const n = normalizeEmail(addr);
  if (!n.ok) throw new Error(n.problem);
  return s.deps.emailIdOf(n.email as NormalizedEmail);
};

/** Stores a subscriber of livlog with every topic confirmed, then lets `change` adjust it. */
async function seed(s: TestStack, addr: string, change: (sub: Subscriber) => void = () => {}) {
  await updateSubscriber(s.deps.db, s.clock, idOf(s, addr), (sub) => {
    const next: Subscriber = structuredClone(sub);
    next.email = addr;
    next.brands.livlog = { topics: Object.fromEntries(TOPICS.map((t) => [t, { state: 'subscribed' as const, at }])) };
    change(next);
    return { next, events: [] };
  });
}

const call = (s: TestStack, method: string, path: string, body?: unknown) =>
  s.app.request(path, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const marketing = { brand: 'livlog', topic: 'newsletter', category: 'marketing' as const };

async function untilCampaignDone(s: TestStack, id: string) {
  for (let i = 0; i < 1200; i++) {
    const p = (await (await call(s, 'GET', `/v1/campaigns/${id}`)).json()) as { counts: Record<string, number>; skippedBy: Record<string, number> };
    if (p.counts.pending === 0) return p;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('campaign did not finish');
}

describe('POST /v1/sends/filter', () => {
  it('gives every skip reason, in the contract order, keeping input order and collapsing duplicates', async () => {
    const a = Object.fromEntries(
      ['ok', 'erased', 'complaint', 'bounce', 'manual', 'restricted', 'allOff', 'allSupp', 'topicOff', 'pending', 'unknown', 'combo'].map((k) => [
        k,
        uniqueEmail(k.toLowerCase()),
      ]),
    ) as Record<string, string>;
    const sup =
      (reason: 'complaint' | 'bounce' | 'manual' | 'unsubscribe' | 'erasure', scope = '*') =>
      (s: Subscriber) => {
        s.suppressions[scope] = { reason, at, source: 'test' };
      };
    await seed(stack, a.ok as string);
    await seed(stack, a.erased as string, (s) => {
      s.status = 'erased';
    });
    await seed(stack, a.complaint as string, sup('complaint'));
    await seed(stack, a.bounce as string, sup('bounce', 'livlog'));
    await seed(stack, a.manual as string, sup('manual'));
    await seed(stack, a.restricted as string, (s) => {
      s.status = 'restricted';
    });
    await seed(stack, a.allOff as string, (s) => {
      for (const t of TOPICS) (s.brands.livlog?.topics[t] ?? { state: '' }).state = 'unsubscribed';
    });
    await seed(stack, a.allSupp as string, sup('unsubscribe', 'livlog'));
    await seed(stack, a.topicOff as string, (s) => {
      (s.brands.livlog?.topics.newsletter ?? { state: '' }).state = 'unsubscribed';
    });
    await seed(stack, a.pending as string, (s) => {
      (s.brands.livlog?.topics.newsletter ?? { state: '' }).state = 'pending';
    });
    await seed(stack, a.combo as string, (s) => {
      s.status = 'restricted';
      s.suppressions.livlog = { reason: 'bounce', at, source: 'test' };
    });
    const recipients = [
      a.ok,
      'not an address',
      a.erased,
      a.complaint,
      ` ${a.ok?.toUpperCase()} `,
      a.bounce,
      a.manual,
      a.restricted,
      a.allOff,
      a.allSupp,
      a.topicOff,
      a.pending,
      a.unknown,
      a.combo,
    ];
    const res = await call(stack, 'POST', '/v1/sends/filter', { ...marketing, recipients });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      eligible: [a.ok],
      skipped: [
        { email: 'not an address', reason: 'invalid-address' },
        { email: a.erased, reason: 'erased' },
        { email: a.complaint, reason: 'suppressed-complaint' },
        { email: ` ${a.ok?.toUpperCase()} `, reason: 'duplicate' },
        { email: a.bounce, reason: 'suppressed-bounce' },
        { email: a.manual, reason: 'suppressed-manual' },
        { email: a.restricted, reason: 'restricted' },
        { email: a.allOff, reason: 'unsubscribed-all' },
        { email: a.allSupp, reason: 'unsubscribed-all' },
        { email: a.topicOff, reason: 'unsubscribed-topic' },
        { email: a.pending, reason: 'no-consent' },
        { email: a.unknown, reason: 'no-consent' },
        { email: a.combo, reason: 'suppressed-bounce' },
      ],
    });

    const tx = await call(stack, 'POST', '/v1/sends/filter', { ...marketing, category: 'transactional', recipients });
    const body = (await tx.json()) as { eligible: string[]; skipped: { reason: string }[] };
    expect(body.eligible).toEqual([a.ok, a.restricted, a.allOff, a.allSupp, a.topicOff, a.pending, a.unknown]);
    expect(body.skipped.map((s) => s.reason)).toEqual([
      'invalid-address',
      'erased',
      'suppressed-complaint',
      'duplicate',
      'suppressed-bounce',
      'suppressed-manual',
      'suppressed-bounce',
    ]);
  });

  it('refuses an unknown brand or topic with details, more than 10,000 recipients, and a call without the token', async () => {
    const badBrand = await call(stack, 'POST', '/v1/sends/filter', { ...marketing, brand: 'nope', recipients: [] });
    expect(badBrand.status).toBe(400);
    expect(((await badBrand.json()) as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe('brand');
    const badTopic = await call(stack, 'POST', '/v1/sends/filter', { ...marketing, topic: 'nope', recipients: [] });
    expect(((await badTopic.json()) as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe('topic');
    const tooMany = await call(stack, 'POST', '/v1/sends/filter', { ...marketing, recipients: Array.from({ length: 10_001 }, (_, i) => `u${i}@x.jp`) });
    expect(tooMany.status).toBe(400);
    const anon = await stack.app.request('/v1/sends/filter', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...marketing, recipients: [] }),
    });
    expect(anon.status).toBe(401);
  });
});

describe('POST /v1/sends', () => {
  it('sends marketing mail with per-recipient List-Unsubscribe headers, a valid token, tags data, and records the send', async () => {
    const to = uniqueEmail('send');
    await seed(stack, to);
    const res = await call(stack, 'POST', '/v1/sends', {
      ...marketing,
      campaignId: 'c-headers',
      content: { subject: 'Hello {{name}}', text: 'Hi {{name}}, leave: {{unsubscribeUrl}}', html: '<p>Hi {{name}}</p>' },
      recipients: [{ email: to, data: { name: '<Taro>' } }],
    });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: { status: string; messageId: string }[] };
    expect(results[0]?.status).toBe('sent');
    const [mail] = await waitForMails(to);
    expect(mail?.subject).toBe('Hello <Taro>');
    expect(mail?.from).toContain('news@livlog.jp');
    expect(mail?.body.html).toContain('&#60;Taro&#62;');
    const header = (n: string) => mail?.headers?.find((h) => h.name.toLowerCase() === n.toLowerCase())?.value;
    expect(header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const link = /<(http:\/\/127\.0\.0\.1:3000\/u\/([^>]+))>, <mailto:unsubscribe@livlog\.jp\?subject=unsubscribe>/.exec(header('List-Unsubscribe') ?? '');
    expect(link).not.toBeNull();
    expect(stack.deps.tokens.verify(link?.[2] ?? '', 'unsubscribe')).toMatchObject({ b: 'livlog', e: idOf(stack, to), t: 'newsletter' });
    expect(mail?.body.text).toContain(link?.[1]);
    expect(expectMarketingFooter(stack, mail, 'livlog', 'ja')).toBe(link?.[1]);

    const records = await readSubscriberRecords(stack.deps.db, idOf(stack, to));
    expect(records.sends).toEqual([
      expect.objectContaining({ brand: 'livlog', topic: 'newsletter', campaignId: 'c-headers', messageId: results[0]?.messageId }),
    ]);
  });

  it('does not send twice when the same campaignId is sent again, and answers the first results', async () => {
    const [one, two, skipped] = [uniqueEmail('twice'), uniqueEmail('twice'), uniqueEmail('twice')];
    await seed(stack, one as string);
    await seed(stack, two as string);
    const body = {
      ...marketing,
      campaignId: 'c-twice',
      content: { subject: 'Once', text: 'only once {{unsubscribeUrl}}' },
      recipients: [{ email: one }, { email: two }, { email: skipped }],
    };
    const first = (await (await call(stack, 'POST', '/v1/sends', body)).json()) as { results: unknown[] };
    const again = await Promise.all([call(stack, 'POST', '/v1/sends', body), call(stack, 'POST', '/v1/sends', body)]);
    for (const r of again) expect(await r.json()).toEqual(first);
    expect(first.results).toEqual([
      expect.objectContaining({ email: one, status: 'sent' }),
      expect.objectContaining({ email: two, status: 'sent' }),
      { email: skipped, status: 'skipped', reason: 'no-consent' },
    ]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await mailsTo(one as string)).toHaveLength(1);
    expect(await mailsTo(two as string)).toHaveLength(1);
  });

  it('reports a claim left by a crashed sender as failed (interrupted), never sending it silently', async () => {
    const to = uniqueEmail('crash');
    await seed(stack, to);
    await claimRecipient(stack.deps.db, 'c-crash', idOf(stack, to), { claimId: 'dead-worker', at: '2026-11-29T08:00:00.000Z' });
    const res = await call(stack, 'POST', '/v1/sends', {
      ...marketing,
      campaignId: 'c-crash',
      content: { subject: 's', text: 't' },
      recipients: [{ email: to }],
    });
    expect(((await res.json()) as { results: unknown[] }).results).toEqual([{ email: to, status: 'failed', reason: 'interrupted' }]);
    expect(await mailsTo(to)).toHaveLength(0);
  });

  it('sends with an SES template in bulk, per-entry data and headers; refuses an unknown template before sending', async () => {
    await (await stack.deps.ses()).send(
      new CreateEmailTemplateCommand({
        TemplateName: 'news-tpl',
        TemplateContent: {
          Subject: 'News for {{name}}',
          Text: 'Hello {{name}} {{unsubscribeUrl}}\n\n{{footer}}',
          Html: '<p>Hello {{name}}</p>{{{footerHtml}}}',
        },
      }),
    );
    const to = [uniqueEmail('tpl'), uniqueEmail('tpl')];
    for (const t of to) await seed(stack, t);
    const res = await call(stack, 'POST', '/v1/sends', {
      ...marketing,
      campaignId: 'c-tpl',
      template: { name: 'news-tpl' },
      recipients: to.map((email, i) => ({ email, data: { name: `N${i}` } })),
    });
    expect(((await res.json()) as { results: { status: string }[] }).results.map((r) => r.status)).toEqual(['sent', 'sent']);
    const [mail] = await waitForMails(to[1] as string);
    expect(mail?.subject).toBe('News for N1');
    expect(mail?.headers?.find((h) => h.name === 'List-Unsubscribe')?.value).toContain('/u/');
    expectMarketingFooter(stack, mail, 'livlog', 'ja');

    const other = uniqueEmail('tpl');
    await seed(stack, other);
    const unknown = await call(stack, 'POST', '/v1/sends', {
      ...marketing,
      campaignId: 'c-tpl2',
      template: { name: 'no-such' },
      recipients: [{ email: other }],
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe('template.name');
    expect(await mailsTo(other)).toHaveLength(0);
  });

  it('refuses content naming a value some recipient has no data for (400 naming the part and recipient), sending nothing', async () => {
    const [one, two] = [uniqueEmail('hole'), uniqueEmail('hole')];
    await seed(stack, one as string);
    await seed(stack, two as string);
    const res = await call(stack, 'POST', '/v1/sends', {
      ...marketing,
      campaignId: 'c-hole',
      content: { subject: 'Hi {{name}}', text: 'Hello {{name}}, {{unsubscribeUrl}} {{brandName}}' },
      recipients: [{ email: one, data: { name: 'A' } }, { email: two }],
    });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { details: { path: string; message: string }[] } };
    expect(error.details).toEqual([
      { path: 'content.subject', message: 'no value for {{name}}: recipients[1].data has none' },
      { path: 'content.text', message: 'no value for {{name}}: recipients[1].data has none' },
    ]);
    // Transactional mail has no unsubscribe link or footer to fill.
    const tx = await call(stack, 'POST', '/v1/sends', {
      ...marketing,
      category: 'transactional',
      purpose: 'account',
      campaignId: 'c-hole-tx',
      content: { subject: 's', text: 'Leave: {{unsubscribeUrl}} {{footer}}' },
      recipients: [{ email: one }],
    });
    expect(tx.status).toBe(400);
    expect(JSON.stringify(await tx.json())).toContain('{{footer}}: the footer is only in the text and HTML of marketing mail');
    expect(await mailsTo(one as string)).toHaveLength(0);
    expect(await mailsTo(two as string)).toHaveLength(0);
  });

  it('refuses a line break in the subject (header injection) and sends nothing', async () => {
    const to = uniqueEmail('inject');
    await seed(stack, to);
    const res = await call(stack, 'POST', '/v1/sends', {
      ...marketing,
      campaignId: 'c-inject',
      content: { subject: 'Hi\r\nBcc: victim@example.com', text: 't' },
      recipients: [{ email: to }],
    });
    expect(res.status).toBe(400);
    expect(await mailsTo(to)).toHaveLength(0);
  });

  it('refuses every control character in a subject (C0 with tab, VT and NUL, DEL, the C1 range with U+0085, U+2028/2029), naming the field, and sends nothing', async () => {
    const to = uniqueEmail('control');
    await seed(stack, to);
    const c1 = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(0x80 + i));
    for (const [i, c] of ['\t', '\u000b', '\u0000', '\u001b', '\u007f', ...c1, '\u2028', '\u2029'].entries()) {
      const res = await call(stack, 'POST', '/v1/sends', {
        ...marketing,
        campaignId: `c-control-${i}`,
        content: { subject: `Hi${c}there`, text: 't' },
        recipients: [{ email: to }],
      });
      expect(res.status, JSON.stringify(c)).toBe(400);
      expect(JSON.stringify(await res.json())).toContain('content.subject');
    }
    expect(await mailsTo(to)).toHaveLength(0);
  });
});

describe('campaigns', () => {
  it('finishes a campaign of a few hundred recipients with counts that add up, duplicates across calls counted', { timeout: 120_000 }, async () => {
    await (await stack.deps.ses()).send(
      new CreateEmailTemplateCommand({ TemplateName: 'camp-tpl', TemplateContent: { Subject: 'Campaign', Text: 'Hello {{unsubscribeUrl}}\n{{footer}}' } }),
    );
    const eligible = Array.from({ length: 200 }, () => uniqueEmail('camp'));
    const unsubscribed = Array.from({ length: 40 }, () => uniqueEmail('camp'));
    const unknown = Array.from({ length: 50 }, () => uniqueEmail('camp'));
    await Promise.all(eligible.map((e) => seed(stack, e)));
    await Promise.all(
      unsubscribed.map((e) =>
        seed(stack, e, (s) => {
          (s.brands.livlog?.topics.newsletter ?? { state: '' }).state = 'unsubscribed';
        }),
      ),
    );
    const body = (recipients: string[]) => ({
      ...marketing,
      campaignId: 'camp-300',
      template: { name: 'camp-tpl' },
      recipients: recipients.map((email) => ({ email })),
    });
    const first = await call(
      stack,
      'POST',
      '/v1/campaigns/camp-300/recipients',
      body([...eligible.slice(0, 150), ...unsubscribed, 'bad address', eligible[0] as string]),
    );
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ accepted: 191, duplicates: 1 });
    const second = await call(stack, 'POST', '/v1/campaigns/camp-300/recipients', body([...eligible.slice(100), ...unknown]));
    expect(await second.json()).toEqual({ accepted: 100, duplicates: 50 });

    const p = await untilCampaignDone(stack, 'camp-300');
    expect(p).toEqual({
      campaignId: 'camp-300',
      counts: { accepted: 291, pending: 0, sent: 200, skipped: 91, failed: 0 },
      skippedBy: { 'invalid-address': 1, 'unsubscribed-topic': 40, 'no-consent': 50 },
    });
    const received = await mailsTo(eligible[199] as string);
    expect(received).toHaveLength(1);
    expectMarketingFooter(stack, received[0], 'livlog', 'ja');
    expect(await mailsTo(unsubscribed[0] as string)).toHaveLength(0);
  });

  it('respects an unsubscribe that lands while the campaign runs', async () => {
    const { createInProcessCampaignQueue } = await import('../../functions/queue/campaign-queue');
    const { runCampaign } = await import('../../functions/use-cases/run-campaign');
    // Rate 4/s: batches of 4, each filtered just before it is sent.
    const slow = await createTestStack({ config: { CAMPAIGN_SEND_RATE: '4' } });
    try {
      const to = Array.from({ length: 16 }, () => uniqueEmail('mid'));
      await Promise.all(to.map((e) => seed(slow, e)));
      const last = to[15] as string;
      let batches = 0;
      let sentBeforeUnsubscribe = 0;
      // The unsubscribe lands when the second batch asks for its send tokens, i.e. after the
      // first batch went out and before the rest is filtered.
      const limiter = {
        take: async () => {
          batches++;
          if (batches !== 2) return;
          sentBeforeUnsubscribe = (await mailsTo(to[0] as string)).length;
          await updateSubscriber(slow.deps.db, slow.clock, idOf(slow, last), (s) => {
            const next = structuredClone(s);
            (next.brands.livlog?.topics.newsletter ?? { state: '' }).state = 'unsubscribed';
            return { next, events: [] };
          });
        },
      };
      const queue = createInProcessCampaignQueue((w) => runCampaign(slow.deps, w, { limiter }), slow.deps.logger);
      slow.deps.campaignQueue = queue;
      const res = await call(slow, 'POST', '/v1/campaigns/camp-mid/recipients', {
        ...marketing,
        campaignId: 'camp-mid',
        content: { subject: 'Mid', text: 'Hello {{unsubscribeUrl}}' },
        recipients: to.map((email) => ({ email })),
      });
      expect(res.status).toBe(202);
      await queue.idle();
      expect(sentBeforeUnsubscribe).toBe(1);
      const p = (await (await call(slow, 'GET', '/v1/campaigns/camp-mid')).json()) as { counts: unknown; skippedBy: unknown };
      expect(p.counts).toEqual({ accepted: 16, pending: 0, sent: 15, skipped: 1, failed: 0 });
      expect(p.skippedBy).toEqual({ 'unsubscribed-topic': 1 });
      expect(await mailsTo(last)).toHaveLength(0);
    } finally {
      await slow.dispose();
    }
  });

  it('answers 404 for an unknown campaign and 400 for a body naming another campaign', async () => {
    expect((await call(stack, 'GET', '/v1/campaigns/none-such')).status).toBe(404);
    const res = await call(stack, 'POST', '/v1/campaigns/a/recipients', {
      ...marketing,
      campaignId: 'b',
      content: { subject: 's', text: 't' },
      recipients: [{ email: 'x@example.com' }],
    });
    expect(res.status).toBe(400);
  });
});

describe('faults injected with SDK middleware', () => {
  it('retries an injected SES TooManyRequestsException (throttling) fault and sends once', async () => {
    const to = uniqueEmail('throttle');
    await seed(stack, to);
    let thrown = 0;
    (await stack.deps.ses()).middlewareStack.add(
      (next) => async (args) => {
        if (thrown < 2) {
          thrown++;
          throw Object.assign(new Error('Too many requests'), { name: 'TooManyRequestsException', $fault: 'client' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'injectThrottling' },
    );
    try {
      const res = await call(stack, 'POST', '/v1/sends', {
        ...marketing,
        campaignId: 'c-throttle',
        content: { subject: 's', text: 't' },
        recipients: [{ email: to }],
      });
      expect(((await res.json()) as { results: { status: string }[] }).results[0]?.status).toBe('sent');
      expect(thrown).toBe(2);
      expect(await waitForMails(to)).toHaveLength(1);
    } finally {
      (await stack.deps.ses()).middlewareStack.remove('injectThrottling');
    }
  });

  const injectUnprocessed = (s: TestStack, times: number) => {
    let injected = 0;
    s.deps.db.client.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { RequestItems?: Record<string, { Keys?: unknown[] }> };
        if (input.RequestItems && injected < times && Object.values(input.RequestItems)[0]?.Keys) {
          injected++;
          return { output: { Responses: {}, UnprocessedKeys: input.RequestItems, $metadata: {} }, response: {} } as never;
        }
        return next(args);
      },
      { step: 'initialize', name: 'injectUnprocessedKeys' },
    );
    return { count: () => injected, remove: () => s.deps.db.client.middlewareStack.remove('injectUnprocessedKeys') };
  };

  it('retries injected UnprocessedKeys (BatchGetItem fault) and decides every recipient right', async () => {
    const ok = uniqueEmail('unproc');
    await seed(stack, ok);
    const fault = injectUnprocessed(stack, 3);
    try {
      const out = await filterRecipients(stack.deps, { ...marketing, recipients: [ok, uniqueEmail('unproc')] });
      expect(out.eligible).toEqual([ok]);
      expect(out.skipped.map((s) => s.reason)).toEqual(['no-consent']);
      expect(fault.count()).toBe(3);
      expect(out.stats).toEqual({ calls: 4, retries: 3 });
    } finally {
      fault.remove();
    }
  });

  it('answers 503 when injected UnprocessedKeys outlast the deadline, deciding nothing', async () => {
    const fault = injectUnprocessed(stack, Number.POSITIVE_INFINITY);
    try {
      await expect(filterRecipients(stack.deps, { ...marketing, recipients: [uniqueEmail('dl')] }, { deadlineMs: 300 })).rejects.toBeInstanceOf(
        UnavailableError,
      );
      const res = await call(stack, 'POST', '/v1/sends/filter', { ...marketing, recipients: [uniqueEmail('dl')] });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBeTruthy();
    } finally {
      fault.remove();
    }
  });
});

describe('runCampaign (the worker) without named recipients', () => {
  it('sends every pending recipient found through the index and turns an abandoned claim into failed (interrupted)', async () => {
    const { addRecipients, defineCampaign } = await import('../../functions/store/campaigns');
    const { runCampaign } = await import('../../functions/use-cases/run-campaign');
    const { unlimited } = await import('../../functions/queue/rate-limiter');
    const id = 'camp-worker';
    await defineCampaign(stack.deps.db, { campaignId: id, ...marketing, mail: { content: { subject: 'W', text: 'worker {{unsubscribeUrl}}' } } }, at);
    const to = Array.from({ length: 7 }, () => uniqueEmail('worker'));
    for (const e of to) await seed(stack, e);
    await addRecipients(stack.deps.db, id, { recipients: to.map((e) => ({ emailId: idOf(stack, e), email: e })), invalidIds: [] }, at);
    // A worker that died after claiming the last one, long ago.
    await claimRecipient(stack.deps.db, id, idOf(stack, to[6] as string), { claimId: 'dead', at: '2026-11-29T08:00:00.000Z' });

    await runCampaign(stack.deps, { campaignId: id }, { limiter: unlimited });
    const p = (await (await call(stack, 'GET', `/v1/campaigns/${id}`)).json()) as { counts: Record<string, number> };
    expect(p.counts).toEqual({ accepted: 7, pending: 0, sent: 6, skipped: 0, failed: 1 });
    expect(await mailsTo(to[6] as string)).toHaveLength(0);
    expect(await mailsTo(to[0] as string)).toHaveLength(1);

    // Redelivered work sends nothing again.
    await runCampaign(stack.deps, { campaignId: id, emailIds: to.map((e) => idOf(stack, e)) }, { limiter: unlimited });
    expect(await mailsTo(to[0] as string)).toHaveLength(1);
  });
});

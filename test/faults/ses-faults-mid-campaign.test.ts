import { CreateEmailTemplateCommand } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type NormalizedEmail, normalizeEmail } from '../../functions/core/email';
import type { EmailId } from '../../functions/core/email-id';
import type { Subscriber } from '../../functions/core/subscriber';
import { unlimited } from '../../functions/queue/rate-limiter';
import { readRecipients } from '../../functions/store/campaigns';
import { readFeedbackCounts } from '../../functions/store/feedback';
import { listLedger, updateSubscriber } from '../../functions/store/subscribers';
import { sesEventHandler } from '../../functions/use-cases/apply-ses-event';
import { runCampaign } from '../../functions/use-cases/run-campaign';
import { inProcessCampaignQueue } from '../../functions/wiring';
import type { InboxMail } from '../support/inbox';
import { bounceEvent } from '../support/ses-events';
import { createTestStack, TEST_ADMIN_TOKEN, type TestStack, uniqueEmail } from '../support/stack';

/**
 * SES faults while a campaign runs, injected with SDK middleware on the stack's SES client (the
 * local SES never throttles nor fails): the sender retries, every recipient ends sent, skipped
 * or failed, and nobody gets a mail twice, not even when the campaign is processed again.
 */
let stack: TestStack;
let queue: ReturnType<typeof inProcessCampaignQueue>;
beforeAll(async () => {
  stack = await createTestStack({ config: { CAMPAIGN_SEND_RATE: '1000' } });
  queue = inProcessCampaignQueue(stack.deps);
  stack.deps.campaignQueue = queue;
});
afterAll(() => stack.dispose());

const TOPICS = ['newsletter', 'promotions', 'events', 'surveys'];
const at = '2026-11-29T08:00:00.000Z';
const marketing = { brand: 'livlog', topic: 'newsletter', category: 'marketing' as const };

const idOf = (addr: string) => stack.deps.emailIdOf((normalizeEmail(addr) as { email: NormalizedEmail }).email);

async function seed(addr: string, change: (s: Subscriber) => void = () => {}) {
  await updateSubscriber(stack.deps.db, stack.clock, idOf(addr), (sub) => {
    const next: Subscriber = structuredClone(sub);
    next.email = addr;
    next.brands.livlog = { topics: Object.fromEntries(TOPICS.map((t) => [t, { state: 'subscribed' as const, at }])) };
    change(next);
    return { next, events: [] };
  });
}

const call = (method: string, path: string, body?: unknown) =>
  stack.app.request(path, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** How many mails each address has in the local SES inbox, read once. */
async function inboxCounts(): Promise<Map<string, number>> {
  const { emails } = (await (await fetch(`${inject('sesEndpoint')}/store`)).json()) as { emails: InboxMail[] };
  const counts = new Map<string, number>();
  for (const m of emails) for (const to of m.destination.to) counts.set(to.toLowerCase(), (counts.get(to.toLowerCase()) ?? 0) + 1);
  return counts;
}

/** 150 consenting, 30 unsubscribed from the topic, 20 unknown: 200 recipients. */
async function audience(label: string) {
  const eligible = Array.from({ length: 150 }, () => uniqueEmail(label));
  const unsubscribed = Array.from({ length: 30 }, () => uniqueEmail(label));
  const unknown = Array.from({ length: 20 }, () => uniqueEmail(label));
  await Promise.all(eligible.map((e) => seed(e)));
  await Promise.all(
    unsubscribed.map((e) =>
      seed(e, (s) => {
        (s.brands.livlog?.topics.newsletter ?? { state: '' }).state = 'unsubscribed';
      }),
    ),
  );
  return { eligible, unsubscribed, unknown, all: [...eligible, ...unsubscribed, ...unknown] };
}

type Fault = (input: Record<string, unknown>) => Error | undefined;

/** Injects `fault` before any SES call it picks; the call then never reaches the local SES. */
async function injectSesFault(name: string, fault: Fault) {
  let injected = 0;
  const ses = await stack.deps.ses();
  ses.middlewareStack.add(
    (next) => async (args) => {
      const err = fault(args.input as Record<string, unknown>);
      if (err) {
        injected++;
        throw err;
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return { injected: () => injected, remove: () => ses.middlewareStack.remove(name) };
}

const throttling = () => Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'ThrottlingException', $fault: 'client' });
const serverError = () => Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable', $fault: 'server', $metadata: { httpStatusCode: 503 } });

/** The addresses of an SES call: a bulk call's entries or a single mail's destination. */
const addressesOf = (input: Record<string, unknown>): string[] => {
  const bulk = input.BulkEmailEntries as { Destination?: { ToAddresses?: string[] } }[] | undefined;
  if (bulk) return bulk.flatMap((e) => e.Destination?.ToAddresses ?? []);
  return (input.Destination as { ToAddresses?: string[] } | undefined)?.ToAddresses ?? [];
};

async function progress(id: string) {
  return (await (await call('GET', `/v1/campaigns/${id}`)).json()) as { counts: Record<string, number>; skippedBy: Record<string, number> };
}

/** Processes the campaign again, the way a redelivered queue message or a second worker would. */
async function processAgain(id: string, all: string[]) {
  await runCampaign(stack.deps, { campaignId: id }, { limiter: unlimited });
  await runCampaign(stack.deps, { campaignId: id, emailIds: all.map(idOf) }, { limiter: unlimited });
}

describe('fault: SES throttling and 5xx mid-campaign', () => {
  it('injects SES ThrottlingException on every other bulk call: retried, all sent once, nothing twice when processed again', { timeout: 120_000 }, async () => {
    const template = `fault-tpl-${Date.now()}`;
    await (await stack.deps.ses()).send(
      new CreateEmailTemplateCommand({ TemplateName: template, TemplateContent: { Subject: 'Fault', Text: 'Hi {{unsubscribeUrl}} {{footer}}' } }),
    );
    const a = await audience('throttle');
    let bulkCalls = 0;
    const fault = await injectSesFault('injectThrottling', (input) => {
      if (!input.BulkEmailEntries) return undefined;
      return bulkCalls++ % 2 === 0 ? throttling() : undefined;
    });
    try {
      const body = { ...marketing, campaignId: 'camp-throttle', template: { name: template }, recipients: a.all.map((email) => ({ email })) };
      const res = await call('POST', '/v1/campaigns/camp-throttle/recipients', body);
      expect(await res.json()).toEqual({ accepted: 200, duplicates: 0 });
      await queue.idle();
      expect(fault.injected()).toBeGreaterThanOrEqual(3);

      const expected = { accepted: 200, pending: 0, sent: 150, skipped: 50, failed: 0 };
      const p = await progress('camp-throttle');
      expect(p.counts).toEqual(expected);
      expect(p.skippedBy).toEqual({ 'unsubscribed-topic': 30, 'no-consent': 20 });
      const inbox = await inboxCounts();
      for (const e of a.eligible) expect(inbox.get(e), e).toBe(1);
      for (const e of [...a.unsubscribed, ...a.unknown]) expect(inbox.get(e), e).toBeUndefined();

      // Processed again (a redelivery, a second worker, the same recipients posted again): nothing new.
      await processAgain('camp-throttle', a.all);
      expect(await (await call('POST', '/v1/campaigns/camp-throttle/recipients', body)).json()).toEqual({ accepted: 0, duplicates: 200 });
      await queue.idle();
      expect((await progress('camp-throttle')).counts).toEqual(expected);
      const after = await inboxCounts();
      for (const e of a.eligible) expect(after.get(e), e).toBe(1);
    } finally {
      fault.remove();
    }
  });

  it('injects SES 5xx (ServiceUnavailable) on single sends: transient ones retried, persistent ones failed, every recipient accounted for, none mailed twice', {
    timeout: 120_000,
  }, async () => {
    const a = await audience('fivexx');
    // Every tenth consenting address fails whatever the retries; every third fails once.
    const doomed = new Set(a.eligible.filter((_, i) => i % 10 === 0).map((e) => e.toLowerCase()));
    const flaky = new Set(a.eligible.filter((_, i) => i % 3 === 1 && i % 10 !== 0).map((e) => e.toLowerCase()));
    const failedOnce = new Set<string>();
    const fault = await injectSesFault('injectServerError', (input) => {
      const [to] = addressesOf(input).map((x) => x.toLowerCase());
      if (!to || input.BulkEmailEntries) return undefined;
      if (doomed.has(to)) return serverError();
      if (flaky.has(to) && !failedOnce.has(to)) {
        failedOnce.add(to);
        return serverError();
      }
      return undefined;
    });
    try {
      const body = {
        ...marketing,
        campaignId: 'camp-5xx',
        content: { subject: 'Fault', text: 'Hi {{unsubscribeUrl}}' },
        recipients: a.all.map((email) => ({ email })),
      };
      expect((await call('POST', '/v1/campaigns/camp-5xx/recipients', body)).status).toBe(202);
      await queue.idle();
      expect(failedOnce.size).toBe(flaky.size);
      expect(fault.injected()).toBeGreaterThanOrEqual(flaky.size + doomed.size * 5);

      const expected = { accepted: 200, pending: 0, sent: 150 - doomed.size, skipped: 50, failed: doomed.size };
      const p = await progress('camp-5xx');
      expect(p.counts).toEqual(expected);
      const { sent = 0, skipped = 0, failed = 0 } = p.counts;
      expect(sent + skipped + failed).toBe(p.counts.accepted);
      const records = await readRecipients(stack.deps.db, 'camp-5xx', a.all.map(idOf) as EmailId[]);
      for (const e of doomed) expect(records.get(idOf(e))).toMatchObject({ status: 'failed', reason: 'ses-throttled-or-unavailable' });
      const inbox = await inboxCounts();
      for (const e of a.eligible) expect(inbox.get(e.toLowerCase()), e).toBe(doomed.has(e.toLowerCase()) ? undefined : 1);

      // Processing again sends nothing twice and does not retry the failed silently.
      fault.remove();
      await processAgain('camp-5xx', a.all);
      expect((await progress('camp-5xx')).counts).toEqual(expected);
      const after = await inboxCounts();
      for (const e of a.eligible) expect(after.get(e.toLowerCase()), e).toBe(doomed.has(e.toLowerCase()) ? undefined : 1);
    } finally {
      fault.remove();
    }
  });
});

describe('fault: the same SES event delivered twice', () => {
  // Delivered twice one after the other: test/integration/ses-feedback.test.ts ("applies the same
  // event delivered twice only once"). Here both deliveries race.
  it('applies the same event delivered twice at the same moment only once', async () => {
    const handle = sesEventHandler(stack.deps);
    const to = uniqueEmail('twice');
    const event = bounceEvent({ to, at: new Date('2026-11-21T10:00:00Z'), bounceType: 'Permanent', brand: 'chroco' });
    const before = await readFeedbackCounts(stack.deps.db, 'chroco', '2026-11-21');
    const outcomes = await Promise.allSettled([handle(event), handle(structuredClone(event))]);
    const applied = outcomes.filter((o) => o.status === 'fulfilled' && (o.value as { status: string }).status === 'applied');
    expect(applied).toHaveLength(1);
    // The loser either saw the marker (duplicate) or lost the race and threw (the queue redelivers it).
    for (const o of outcomes) if (o.status === 'fulfilled') expect(['applied', 'duplicate']).toContain((o.value as { status: string }).status);
    expect(await handle(structuredClone(event))).toEqual({ eventId: event.id, status: 'duplicate' });
    expect(await listLedger(stack.deps.db, idOf(to))).toHaveLength(1);
    const after = await readFeedbackCounts(stack.deps.db, 'chroco', '2026-11-21');
    expect(after.bounced - before.bounced).toBe(1);
  });
});

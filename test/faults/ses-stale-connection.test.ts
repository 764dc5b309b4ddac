import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RunningSes, startLocalSes } from '../../bin/local/processes';
import { sendOne } from '../../functions/mail/bulk';
import { createSesMailer } from '../../functions/mail/sender';
import { lazySesClient } from '../../functions/mail/ses-client';
import { unlimited } from '../../functions/queue/rate-limiter';
import { readCampaignCounts } from '../../functions/store/campaign-counts';
import { readRecipients } from '../../functions/store/campaigns';
import { runCampaign } from '../../functions/use-cases/run-campaign';
import { campaignFixtures } from '../support/campaigns';
import type { InboxMail } from '../support/inbox';
import { createTestStack, emailIdFor, type TestStack, uniqueEmail } from '../support/stack';

/**
 * A fault of kept-alive connections: SES closes a connection that sat idle, and the next send goes
 * out on it before this process has read the close (its event loop busy, as on two loaded cores, or
 * a Lambda container thawed). The connection is reset, SES never saw the request, and yet the send
 * reports `ses-outcome-unknown`, which is never retried, so the recipient ends `failed`.
 *
 * The local SES here is a real one of its own, with a keep-alive shorter than the suite's, so that
 * its idle close comes quickly; the test sends at the very moment the server has destroyed every
 * connection (in the server's own timeout callback, before the client's next poll for I/O), which
 * is the load's timing made to happen on purpose.
 */
// Whole seconds of at least 2: Node announces `Keep-Alive: timeout=<seconds>`, and its client keeps
// no connection whose announced timeout is under 2 s.
const SERVER_KEEP_ALIVE_MS = 2000;
// Under the server's keep-alive, and long enough that sends in a row on loaded cores stay on one connection.
const REUSE_MS = 1000;

let ses: RunningSes;
const open = new Set<Socket>();
let waiters: (() => void)[] = [];
let connections = 0;

beforeAll(async () => {
  ses = await startLocalSes({ port: await freePort() });
  ses.server.keepAliveTimeout = SERVER_KEEP_ALIVE_MS;
  ses.server.on('connection', (s: Socket) => {
    connections++;
    open.add(s);
    s.on('close', () => open.delete(s));
    // Runs after the server's own timeout listener has destroyed the idle connection.
    s.on('timeout', () => {
      if (![...open].every((o) => o.destroyed)) return;
      const ws = waiters;
      waiters = [];
      for (const w of ws) w();
    });
  });
});
afterAll(() => ses.stop());

/** Resolves the moment the server has closed every connection for idleness; none may be open before. */
function serverIdledOut(): Promise<void> {
  if (open.size === 0 || [...open].every((o) => o.destroyed)) throw new Error('no kept-alive connection to idle out');
  return new Promise((r) => waiters.push(r));
}

const clientOf = () =>
  lazySesClient({ region: 'ap-northeast-1', endpoint: ses.endpoint, timeouts: { connectMs: 10_000, requestMs: 60_000 }, reuseMs: REUSE_MS });

async function inbox(to: string): Promise<InboxMail[]> {
  const { emails } = (await (await fetch(`${ses.endpoint}/store`)).json()) as { emails: InboxMail[] };
  return emails.filter((m) => m.destination.to.includes(to));
}

const mail = (to: string) => ({ from: 'news@livlog.jp', to, subject: 'Stale', text: 'Hi' });

describe('fault: SES closed an idle kept-alive connection just before a send', () => {
  it('sends on a new connection instead of the closed one: sent once, not failed ses-outcome-unknown', async () => {
    const mailer = createSesMailer(clientOf());
    const to = uniqueEmail('stale');
    expect(await sendOne(mailer, mail(to))).toMatchObject({ ok: true });
    await serverIdledOut();
    // In the server's timeout callback's microtasks: the client has not read the close yet.
    expect(await sendOne(mailer, mail(to))).toEqual({ ok: true, messageId: expect.any(String) });
    expect(await inbox(to)).toHaveLength(2);
  });

  it('keeps using a connection while it is fresh: three sends in a row open one connection', async () => {
    const mailer = createSesMailer(clientOf());
    const to = uniqueEmail('fresh');
    const before = connections;
    for (let i = 0; i < 3; i++) expect(await sendOne(mailer, mail(to))).toMatchObject({ ok: true });
    expect(connections - before).toBe(1);
  });
});

describe('fault: a campaign retry goes out just after SES closed the idle connection', () => {
  let stack: TestStack;
  const fx = campaignFixtures(() => stack);
  beforeAll(async () => {
    stack = await createTestStack({ config: { CAMPAIGN_SEND_RATE: '1000' }, deps: { ses: clientOf() } });
  });
  afterAll(() => stack.dispose());

  it('a recipient whose first send SES refused with a 503 is retried on a new connection and sent, once', async () => {
    const addrs = Array.from({ length: 3 }, () => uniqueEmail('retry'));
    await Promise.all(addrs.map((a) => fx.consenting(a)));
    await fx.campaignOf('camp-stale', addrs);
    const flaky = addrs[1] as string;
    let refused = 0;
    let stalled = 0;
    const client = await stack.deps.ses();
    client.middlewareStack.add(
      (next) => async (args) => {
        const to = (args.input as { Destination?: { ToAddresses?: string[] } }).Destination?.ToAddresses?.[0];
        if (to === flaky && refused === 0) {
          refused++;
          throw Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable', $fault: 'server', $metadata: { httpStatusCode: 503 } });
        }
        if (to === flaky) {
          // An injected stall: the retry waits until SES has idled out every connection.
          await serverIdledOut();
          stalled++;
        }
        return next(args);
      },
      { step: 'initialize', name: 'refuseOnceThenStall' },
    );

    await runCampaign(stack.deps, { campaignId: 'camp-stale' }, { limiter: unlimited });

    expect(stalled).toBe(1);
    const records = await readRecipients(stack.deps.db, 'camp-stale', [emailIdFor(stack, flaky)]);
    expect(records.get(emailIdFor(stack, flaky))).toMatchObject({ status: 'sent' });
    expect((await readCampaignCounts(stack.deps.db, 'camp-stale'))?.counts).toEqual({ accepted: 3, pending: 0, sent: 3, skipped: 0, failed: 0 });
    for (const a of addrs) expect(await inbox(a), a).toHaveLength(1);
  });
});

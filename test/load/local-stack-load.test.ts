import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmTopics } from '../../functions/core/consent';
import { type NormalizedEmail, normalizeEmail } from '../../functions/core/email';
import { isRedacted, verifyLedger } from '../../functions/core/ledger';
import { unsubscribeUrl } from '../../functions/mail/list-unsubscribe';
import { getSubscriber, listLedger, updateSubscriber } from '../../functions/store/subscribers';
import { type Served, serveOnLoopback } from '../support/serve';
import { createTestStack, TEST_ADMIN_TOKEN, type TestStack, uniqueEmail } from '../support/stack';

/**
 * A bounded loopback load test: autocannon against the app served over HTTP on 127.0.0.1,
 * backed by the suite's DynamoDB Local, for a fixed number of requests. It reports throughput
 * and errors (figures, never asserted: speed is for `npm run bench`) and asserts that nothing
 * failed and nothing was lost, by reading back every address afterwards.
 */

/** The few fields of autocannon's options and result used here (the package ships no types). */
interface LoadRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: LoadRequest) => LoadRequest;
}
interface LoadResult {
  requests: { total: number };
  latency: { p50: number; p99: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}
type Autocannon = (opts: { url: string; connections: number; amount: number; timeout: number; requests: LoadRequest[] }) => Promise<LoadResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const ONE_CLICK_ADDRESSES = 300;
const FILTER_RECIPIENTS = 1_000;
const FILTER_CALLS = 24;
const TOPICS = ['newsletter', 'promotions', 'events', 'surveys'];

let stack: TestStack;
let served: Served | undefined;
let base: string;
beforeAll(async () => {
  stack = await createTestStack();
  served = await serveOnLoopback(stack.app.fetch);
  base = served.base;
});
afterAll(async () => {
  await served?.close();
  await stack?.dispose();
});

const idOf = (addr: string) => stack.deps.emailIdOf((normalizeEmail(addr) as { email: NormalizedEmail }).email);

/** Runs `fn` over items with at most `n` in flight. */
async function inParallel<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

/** Every livlog topic confirmed, with the address stored. */
async function confirmed(addr: string) {
  const email = (normalizeEmail(addr) as { email: NormalizedEmail }).email;
  await updateSubscriber(stack.deps.db, stack.clock, idOf(addr), (s) => {
    const d = confirmTopics(s, 'livlog', TOPICS, { at: stack.clock.now(), source: 'confirmation' });
    return d && { ...d, next: { ...d.next, email } };
  });
}

function report(name: string, r: LoadResult) {
  const codes = Object.fromEntries(Object.entries(r.statusCodeStats).map(([k, v]) => [k, v.count]));
  console.log(
    `load ${name}: ${r.requests.total} requests in ${r.duration.toFixed(2)} s, ${(r.requests.total / r.duration).toFixed(1)} req/s, ` +
      `latency p50 ${r.latency.p50} ms p99 ${r.latency.p99} ms, errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx}, status ${JSON.stringify(codes)}`,
  );
}

describe('load: autocannon over loopback against the local stack', () => {
  const addresses = Array.from({ length: ONE_CLICK_ADDRESSES }, (_, i) => uniqueEmail(`load${i}`));

  it(`one-click unsubscribes of ${ONE_CLICK_ADDRESSES} different addresses: zero errors, zero lost writes`, { timeout: 60_000 }, async () => {
    await inParallel(addresses, 16, confirmed);
    // One path per address, handed out in order: request k unsubscribes address k.
    const paths = addresses.map((a) => unsubscribeUrl('', stack.deps.tokens, { brand: 'livlog', emailId: idOf(a), topic: 'newsletter' }));
    let handedOut = 0;
    const result = await autocannon({
      url: base,
      connections: 10,
      amount: paths.length,
      timeout: 20,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'load-test' },
          body: 'List-Unsubscribe=One-Click',
          setupRequest: (req) => ({ ...req, path: paths[handedOut++ % paths.length] as string }),
        },
      ],
    });
    report('one-click', result);
    expect(handedOut).toBe(paths.length);
    expect(result.requests.total).toBe(paths.length);
    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
    expect(result.non2xx).toBe(0);
    expect(result.statusCodeStats).toEqual({ 200: { count: paths.length } });

    // Read back every address: unsubscribed from the topic, with exactly one event saying so.
    const lost: string[] = [];
    await inParallel(addresses, 16, async (a) => {
      // The ledger first: reading it chains what the one-click fast path left unsealed, which moves the head.
      const ledger = await listLedger(stack.deps.db, idOf(a));
      const s = await getSubscriber(stack.deps.db, idOf(a));
      const unsubscribes = ledger.filter(
        (e) => !isRedacted(e) && e.source === 'one-click' && e.changes.some((c) => c.topic === 'newsletter' && c.to === 'unsubscribed'),
      );
      const ok =
        s?.brands.livlog?.topics.newsletter?.state === 'unsubscribed' &&
        s.brands.livlog.topics.promotions?.state === 'subscribed' &&
        unsubscribes.length === 1 &&
        ledger.length === 2 &&
        verifyLedger(ledger, s.ledger).ok;
      if (!ok) lost.push(a);
    });
    console.log(`load one-click: read back ${addresses.length} addresses, ${lost.length} lost or wrong`);
    expect(lost).toEqual([]);
  });

  it(`the filter with ${FILTER_RECIPIENTS} recipients per call, ${FILTER_CALLS} calls: zero errors, every answer right`, { timeout: 60_000 }, async () => {
    // The addresses above (subscribed to promotions) and unknown ones.
    const recipients = [...addresses, ...Array.from({ length: FILTER_RECIPIENTS - addresses.length }, (_, i) => `unknown${i}.load@example.com`)];
    const body = JSON.stringify({ brand: 'livlog', topic: 'promotions', category: 'marketing', recipients });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

    const probe = await fetch(`${base}/v1/sends/filter`, { method: 'POST', headers, body });
    expect(probe.status).toBe(200);
    const answer = (await probe.json()) as { eligible: string[]; skipped: { reason: string }[] };
    expect(answer.eligible).toEqual(addresses);
    expect(answer.skipped).toHaveLength(FILTER_RECIPIENTS - addresses.length);

    const result = await autocannon({
      url: base,
      connections: 4,
      amount: FILTER_CALLS,
      timeout: 20,
      requests: [{ method: 'POST', path: '/v1/sends/filter', headers, body }],
    });
    report(`filter ${FILTER_RECIPIENTS}`, result);
    console.log(`load filter ${FILTER_RECIPIENTS}: ${((result.requests.total * FILTER_RECIPIENTS) / result.duration).toFixed(0)} recipients/s`);
    expect(result.requests.total).toBe(FILTER_CALLS);
    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
    expect(result.non2xx).toBe(0);
  });
});

import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lazySesClient, SES_TIMEOUT_DEFAULTS } from '../../functions/mail/ses-client';
import { createTestStack, type TestStack, uniqueEmail } from '../support/stack';

/**
 * Fault: SES accepts the connection and never answers (a listener that reads and stays silent;
 * the local SES cannot be made to hang). With the SES client as production builds it, a request
 * that sends mail ends with 503 after the SES timeout instead of waiting for ever.
 */
let silent: Server;
const held = new Set<Socket>();
/** How long each connection to the silent SES stayed open before the client gave up on it. */
const heldFor: number[] = [];
let stack: TestStack;

beforeAll(async () => {
  silent = createServer((socket) => {
    const opened = performance.now();
    held.add(socket);
    socket.on('close', () => {
      held.delete(socket);
      heldFor.push(performance.now() - opened);
    });
    socket.resume();
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  const address = silent.address();
  const endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  stack = await createTestStack({ deps: { ses: lazySesClient({ region: 'ap-northeast-1', endpoint }) } });
});

afterAll(async () => {
  for (const s of held) s.destroy();
  await new Promise<void>((r) => silent.close(() => r()));
  await stack?.dispose();
});

describe('fault: SES does not answer', () => {
  it('gives up on the SES call at its timeout and answers a subscription request with 503, never hanging', async () => {
    const answer = stack.app.request('/v1/subscriptions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ brand: 'livlog', email: uniqueEmail('ses-silent'), topics: ['newsletter'], locale: 'en' }),
    });
    const res = await Promise.race([Promise.resolve(answer), new Promise<undefined>((r) => setTimeout(() => r(undefined), 20_000))]);
    expect(res?.status ?? 'no answer after 20 s').toBe(503);
    // The store's part of the request varies with the load on the suite's shared DynamoDB Local;
    // the SES call itself ends at the production timeout (its close reaches the listener a moment
    // after the client gave up).
    for (let i = 0; i < 30 && heldFor.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(heldFor).toHaveLength(1);
    expect(heldFor[0]).toBeGreaterThan(SES_TIMEOUT_DEFAULTS.requestMs - 500);
    expect(heldFor[0]).toBeLessThan(SES_TIMEOUT_DEFAULTS.requestMs + 1500);
    expect(res?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await res?.json()).toMatchObject({ error: { code: 'unavailable' } });
  }, 30_000);
});

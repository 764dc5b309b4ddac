import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suppress } from '../../functions/core/consent';
import { type NormalizedEmail, normalizeEmail } from '../../functions/core/email';
import { updateSubscriber } from '../../functions/store/subscribers';
import { createTestStack, type TestStack, uniqueEmail } from '../support/stack';

/**
 * The routes that must not tell whether an address is known answer no sooner than
 * ANSWER_FLOOR_MS, whatever they did: for a new address a confirmation mail goes out through the
 * local SES; for a bounce-suppressed one nothing is sent, which alone answers much faster.
 * Lower bounds only: a floor is a sleep, so the assertions hold on a loaded machine too.
 */
const FLOOR_MS = 300;
let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack({ config: { ANSWER_FLOOR_MS: String(FLOOR_MS) } });
});
afterAll(() => stack.dispose());

const JSON_TYPE = { 'content-type': 'application/json' };

async function timed(path: string, body: unknown): Promise<{ status: number; ms: number }> {
  const t = performance.now();
  const res = await stack.app.request(path, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify(body) });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - t };
}

describe('answer floor on the address-revealing routes', () => {
  it('answers a subscription request for a new and for a suppressed address alike: 202, and no sooner than the floor', async () => {
    const suppressed = uniqueEmail('floor-suppressed');
    const id = stack.deps.emailIdOf((normalizeEmail(suppressed) as { email: NormalizedEmail }).email);
    await updateSubscriber(stack.deps.db, stack.clock, id, (s) => suppress(s, '*', 'bounce', { at: stack.clock.now(), source: 'ses-feedback' }));

    for (const email of [uniqueEmail('floor-new'), suppressed]) {
      const r = await timed('/v1/subscriptions', { brand: 'livlog', email, topics: ['newsletter'] });
      expect(r.status).toBe(202);
      expect(r.ms, email).toBeGreaterThanOrEqual(FLOOR_MS - 1);
    }
  });

  it('holds an inquiry answer to the floor too, even the honeypot one that does nothing', async () => {
    const base = { brand: 'livlog', type: 'access', email: uniqueEmail('floor-inq'), message: 'What do you keep about me?' };
    for (const body of [base, { ...base, website: 'http://spam.example' }]) {
      const r = await timed('/v1/inquiries', body);
      expect(r.status).toBe(202);
      expect(r.ms).toBeGreaterThanOrEqual(FLOOR_MS - 1);
    }
  });
});

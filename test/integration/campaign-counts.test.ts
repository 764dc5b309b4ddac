import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NormalizedEmail, normalizeEmail } from '../../functions/core/email';
import type { CampaignQueue } from '../../functions/queue/campaign-queue';
import { claimRecipient, readRecipients, settleRecipient } from '../../functions/store/campaigns';
import { createTestStack, TEST_ADMIN_TOKEN, type TestStack, uniqueEmail } from '../support/stack';

/**
 * A campaign's counters against repeated calls of POST /v1/campaigns/{campaignId}/recipients:
 * every distinct input, valid or not, is accepted once, whatever the number of calls.
 */
let stack: TestStack;
const work: string[][] = [];
const heldQueue: CampaignQueue = {
  enqueue: async (items) => {
    work.push(...items.map((w) => w.emailIds ?? []));
  },
};
beforeAll(async () => {
  stack = await createTestStack();
  stack.deps.campaignQueue = heldQueue;
});
afterAll(() => stack.dispose());

const call = (method: string, path: string, body?: unknown) =>
  stack.app.request(path, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const add = async (campaignId: string, inputs: string[]) => {
  const res = await call('POST', `/v1/campaigns/${campaignId}/recipients`, {
    brand: 'livlog',
    topic: 'newsletter',
    category: 'marketing',
    campaignId,
    content: { subject: 'Counts', text: 'Hello {{unsubscribeUrl}}' },
    recipients: inputs.map((email) => ({ email })),
  });
  expect(res.status).toBe(202);
  return res.json();
};

const idOf = (addr: string) => stack.deps.emailIdOf((normalizeEmail(addr) as { email: NormalizedEmail }).email);
const progress = async (campaignId: string) => (await call('GET', `/v1/campaigns/${campaignId}`)).json();

describe('repeated calls adding recipients', () => {
  it('counts an invalid address once over five identical calls of 20 valid and 1 invalid', async () => {
    const inputs = [...Array.from({ length: 20 }, () => uniqueEmail('repeat')), 'not an address'];
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await add('camp-repeat', inputs));
    expect(answers).toEqual([{ accepted: 21, duplicates: 0 }, ...Array.from({ length: 4 }, () => ({ accepted: 0, duplicates: 21 }))]);
    expect(await progress('camp-repeat')).toEqual({
      campaignId: 'camp-repeat',
      counts: { accepted: 21, pending: 20, sent: 0, skipped: 1, failed: 0 },
      skippedBy: { 'invalid-address': 1 },
    });
  });

  it('collapses an invalid input repeated within one call, and tells invalid inputs apart', async () => {
    expect(await add('camp-invalid', ['not an address', 'NOT AN ADDRESS ', 'two@at@example.com', 'not an address'])).toEqual({
      accepted: 2,
      duplicates: 2,
    });
    expect(await progress('camp-invalid')).toMatchObject({ counts: { accepted: 2, pending: 0, skipped: 2 }, skippedBy: { 'invalid-address': 2 } });
  });
});

describe('settleRecipient (one recipient settled as skipped, e.g. erased)', () => {
  it('moves its count from pending to skipped once, and leaves a claimed or final recipient alone', async () => {
    const [erased, claimed, other] = Array.from({ length: 3 }, () => uniqueEmail('settle')) as [string, string, string];
    expect(await add('camp-settle', [erased, claimed, other])).toEqual({ accepted: 3, duplicates: 0 });
    const at = stack.clock.now().toISOString();
    expect((await claimRecipient(stack.deps.db, 'camp-settle', idOf(claimed), { claimId: 'worker', at })).claimed).toBe(true);

    expect(await settleRecipient(stack.deps.db, 'camp-settle', idOf(erased), 'erased', at)).toBe(true);
    expect(await settleRecipient(stack.deps.db, 'camp-settle', idOf(erased), 'erased', at)).toBe(false);
    expect(await settleRecipient(stack.deps.db, 'camp-settle', idOf(claimed), 'erased', at)).toBe(false);
    expect(await settleRecipient(stack.deps.db, 'camp-settle', idOf(uniqueEmail('absent')), 'erased', at)).toBe(false);

    expect(await progress('camp-settle')).toEqual({
      campaignId: 'camp-settle',
      counts: { accepted: 3, pending: 2, sent: 0, skipped: 1, failed: 0 },
      skippedBy: { erased: 1 },
    });
    const records = await readRecipients(stack.deps.db, 'camp-settle', [idOf(erased), idOf(claimed)]);
    const settled = records.get(idOf(erased));
    expect(settled).toMatchObject({ status: 'skipped', reason: 'erased' });
    expect(settled).not.toHaveProperty('email');
    expect(settled).not.toHaveProperty('gsi1pk');
    expect(records.get(idOf(claimed))).toMatchObject({ status: 'claimed', email: claimed });
  });
});

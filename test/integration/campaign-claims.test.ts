import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../functions/queue/rate-limiter';
import { recordClaim } from '../../functions/store/campaign-claims';
import { addRecipients, claimRecipient, defineCampaign, readCampaignCounts, readRecipients } from '../../functions/store/campaigns';
import { keys } from '../../functions/store/keys';
import { CLAIM_TIMEOUT_MS } from '../../functions/use-cases/deliver-batch';
import { runCampaign } from '../../functions/use-cases/run-campaign';
import { CAMPAIGN_AT, campaignFixtures, MARKETING } from '../support/campaigns';
import { mailsTo } from '../support/inbox';
import { createTestStack, emailIdFor, type TestStack, uniqueEmail } from '../support/stack';

/**
 * A worker's claim of a chunk is indexed once, by one claim record listing the chunk, not by an
 * index entry on each recipient (which the settlement then had to remove, in its transaction, at
 * twice the units). An abandoned claim is still found by its record and settled `interrupted`,
 * never sent again.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack({ config: { CAMPAIGN_SEND_RATE: '1000' } });
});
afterAll(() => stack.dispose());

const at = CAMPAIGN_AT;
const marketing = MARKETING;
const { consenting, sendRecords } = campaignFixtures(() => stack);

const claimedIndex = async (campaignId: string) =>
  (
    await stack.deps.db.doc.send(
      new QueryCommand({
        TableName: stack.deps.db.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': `CAMP#${campaignId}#claimed` },
      }),
    )
  ).Items ?? [];

/**
 * Fault injection (a fake, since a real store cannot be told to): every transaction that would
 * record a result is refused, as by a store outage, while `fn` runs.
 */
async function refusingSettlements(fn: () => Promise<unknown>): Promise<void> {
  const name = 'refuseSettlements';
  stack.deps.db.client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      if (command === 'TransactWriteItemsCommand' || command === 'TransactWriteCommand') throw new Error('injected: the store refused the settlement');
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    await fn();
  } finally {
    stack.deps.db.client.middlewareStack.remove(name);
  }
}

describe("a worker's claims", () => {
  it('fault injection: the settlement refused after SES took the chunk leaves the send records and one claim record, no index entry per recipient; after the timeout the next run settles them `interrupted`, unsent, and drops the record', async () => {
    const id = 'claims-record';
    const addrs = Array.from({ length: 6 }, () => uniqueEmail('claims'));
    await Promise.all(addrs.map(consenting));
    await defineCampaign(stack.deps.db, { campaignId: id, ...marketing, mail: { content: { subject: 'Claims', text: 'Hi {{unsubscribeUrl}}' } } }, at);
    await addRecipients(stack.deps.db, id, { recipients: addrs.map((email) => ({ emailId: emailIdFor(stack, email), email })), invalidIds: [] }, at);

    await refusingSettlements(() => expect(runCampaign(stack.deps, { campaignId: id }, { limiter: createRateLimiter(1000) })).rejects.toThrow(/injected/));

    for (const a of addrs) expect(await mailsTo(a)).toHaveLength(1);
    // Written as soon as SES took the mails, before the refused settlement.
    for (const a of addrs) expect(await sendRecords(a)).toMatchObject([{ campaignId: id, messageId: expect.any(String) }]);
    const item = (
      await stack.deps.db.doc.send(
        new GetCommand({ TableName: stack.deps.db.tableName, Key: keys.campaignRecipient(id, emailIdFor(stack, addrs[0] as string)), ConsistentRead: true }),
      )
    ).Item;
    expect(item).toMatchObject({ status: 'claimed' });
    expect(item).not.toHaveProperty('gsi1pk');
    const index = await claimedIndex(id);
    expect(index).toHaveLength(1);
    expect([...(index[0]?.emailIds ?? [])].sort()).toEqual(addrs.map((a) => emailIdFor(stack, a)).sort());

    stack.clock.advance(CLAIM_TIMEOUT_MS + 1000);
    await runCampaign(stack.deps, { campaignId: id }, { limiter: createRateLimiter(1000) });

    expect((await readCampaignCounts(stack.deps.db, id))?.counts).toEqual({ accepted: 6, pending: 0, sent: 0, skipped: 0, failed: 6 });
    const records = await readRecipients(
      stack.deps.db,
      id,
      addrs.map((a) => emailIdFor(stack, a)),
    );
    expect([...records.values()].map((r) => r.reason)).toEqual(addrs.map(() => 'interrupted'));
    for (const a of addrs) expect(await mailsTo(a)).toHaveLength(1);
    expect(await claimedIndex(id)).toEqual([]);
  });

  it('fault injection: a batch of one writes no claim record: its claim carries its own index entry, and abandoned it is still found and settled `interrupted`', async () => {
    const id = 'claims-alone';
    const addr = uniqueEmail('claims');
    await consenting(addr);
    await defineCampaign(stack.deps.db, { campaignId: id, ...marketing, mail: { content: { subject: 'Claims', text: 'Hi {{unsubscribeUrl}}' } } }, at);
    await addRecipients(stack.deps.db, id, { recipients: [{ emailId: emailIdFor(stack, addr), email: addr }], invalidIds: [] }, at);

    // The settlement refused after SES took the mail.
    await refusingSettlements(() => expect(runCampaign(stack.deps, { campaignId: id }, { limiter: createRateLimiter(1000) })).rejects.toThrow(/injected/));
    expect(await mailsTo(addr)).toHaveLength(1);
    const records = await stack.deps.db.doc.send(
      new QueryCommand({
        TableName: stack.deps.db.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :claim)',
        ExpressionAttributeValues: { ':pk': keys.campaignMeta(id).pk, ':claim': 'CLAIM#' },
        ConsistentRead: true,
      }),
    );
    expect(records.Items ?? []).toEqual([]);
    const index = await claimedIndex(id);
    expect(index).toMatchObject([{ emailId: emailIdFor(stack, addr), status: 'claimed' }]);

    stack.clock.advance(CLAIM_TIMEOUT_MS + 1000);
    await runCampaign(stack.deps, { campaignId: id }, { limiter: createRateLimiter(1000) });
    expect((await readRecipients(stack.deps.db, id, [emailIdFor(stack, addr)])).get(emailIdFor(stack, addr))).toMatchObject({
      status: 'failed',
      reason: 'interrupted',
    });
    expect(await mailsTo(addr)).toHaveLength(1);
    expect(await claimedIndex(id)).toEqual([]);
    expect((await readCampaignCounts(stack.deps.db, id))?.counts).toEqual({ accepted: 1, pending: 0, sent: 0, skipped: 0, failed: 1 });
  });

  it('keeps a stale record while one of its claims is younger than the timeout, and drops it once that one is settled too', async () => {
    const id = 'claims-younger';
    const [early, late] = [uniqueEmail('claims'), uniqueEmail('claims')] as [string, string];
    await defineCampaign(stack.deps.db, { campaignId: id, ...marketing, mail: { content: { subject: 'Claims', text: 'Hi {{unsubscribeUrl}}' } } }, at);
    await addRecipients(stack.deps.db, id, { recipients: [early, late].map((email) => ({ emailId: emailIdFor(stack, email), email })), invalidIds: [] }, at);
    // A dead worker's call: its first chunk claimed at t0, its second ten minutes later.
    const t0 = stack.clock.now().toISOString();
    await recordClaim(
      stack.deps.db,
      id,
      { claimId: 'dead', at: t0 },
      [early, late].map((a) => emailIdFor(stack, a)),
    );
    expect((await claimRecipient(stack.deps.db, id, emailIdFor(stack, early), { claimId: 'dead', at: t0, recorded: true })).claimed).toBe(true);
    stack.clock.advance(10 * 60_000);
    const t1 = stack.clock.now().toISOString();
    expect((await claimRecipient(stack.deps.db, id, emailIdFor(stack, late), { claimId: 'dead', at: t1, recorded: true })).claimed).toBe(true);

    stack.clock.advance(CLAIM_TIMEOUT_MS - 5 * 60_000);
    await runCampaign(stack.deps, { campaignId: id }, { limiter: createRateLimiter(1000) });
    const first = await readRecipients(
      stack.deps.db,
      id,
      [early, late].map((a) => emailIdFor(stack, a)),
    );
    expect(first.get(emailIdFor(stack, early))).toMatchObject({ status: 'failed', reason: 'interrupted' });
    expect(first.get(emailIdFor(stack, late))).toMatchObject({ status: 'claimed' });
    expect(await claimedIndex(id)).toHaveLength(1);

    stack.clock.advance(10 * 60_000);
    await runCampaign(stack.deps, { campaignId: id }, { limiter: createRateLimiter(1000) });
    expect((await readRecipients(stack.deps.db, id, [emailIdFor(stack, late)])).get(emailIdFor(stack, late))).toMatchObject({
      status: 'failed',
      reason: 'interrupted',
    });
    expect(await claimedIndex(id)).toEqual([]);
    expect((await readCampaignCounts(stack.deps.db, id))?.counts).toEqual({ accepted: 2, pending: 0, sent: 0, skipped: 0, failed: 2 });
  });
});

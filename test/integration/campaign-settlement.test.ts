import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailId } from '../../functions/core/email-id';
import { createRateLimiter } from '../../functions/queue/rate-limiter';
import { settleSkippedRecipients } from '../../functions/store/campaign-settlements';
import { finishRecipient, readCampaignCounts, readRecipients } from '../../functions/store/campaigns';
import { runCampaign } from '../../functions/use-cases/run-campaign';
import { CAMPAIGN_AT, campaignFixtures, MARKETING } from '../support/campaigns';
import { mailsTo } from '../support/inbox';
import { createTestStack, emailIdFor, type TestStack, uniqueEmail } from '../support/stack';

/**
 * The settlement of a campaign batch: the recipients of one chunk are recorded in one transaction
 * with one move of their counts (not a transaction and a counter write each), and a recipient
 * whose condition fails in it (settled by someone else meanwhile) is dropped from the transaction
 * while the others are settled, each counted once.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack({ config: { CAMPAIGN_SEND_RATE: '1000' } });
});
afterAll(() => stack.dispose());

const at = CAMPAIGN_AT;
const _marketing = MARKETING;
const { consenting, campaignOf, sendRecords } = campaignFixtures(() => stack);

type Action = { Update?: { Key?: { sk?: unknown } } };
const TRANSACT = new Set(['TransactWriteItemsCommand', 'TransactWriteCommand']);
// The document client's commands pass this stack with their items plain; the raw client's marshalled.
const skOf = (a: Action) => {
  const sk = a.Update?.Key?.sk;
  return typeof sk === 'string' ? sk : String((sk as { S?: string } | undefined)?.S ?? '');
};

/** Observes (changes nothing) the transactions the worker commits: their counter-shard updates. */
function watchTransactions() {
  const seen = { transactions: 0, counterMoves: 0 };
  stack.deps.db.client.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      if (TRANSACT.has(context.commandName ?? '')) {
        const items = ((args.input as { TransactItems?: Action[] }).TransactItems ?? []) as Action[];
        seen.transactions++;
        seen.counterMoves += items.filter((i) => skOf(i).startsWith('COUNTS#')).length;
      }
      return out;
    },
    { step: 'initialize', name: `watchTransactions${Math.random()}` },
  );
  return seen;
}

describe('settling a campaign batch', () => {
  it('records 50 sent recipients with one counter move, not 50', async () => {
    const addrs = Array.from({ length: 50 }, () => uniqueEmail('settle-batch'));
    await Promise.all(addrs.map(consenting));
    await campaignOf('settle-batch', addrs, 'Settle');
    const seen = watchTransactions();

    await runCampaign(stack.deps, { campaignId: 'settle-batch' }, { limiter: createRateLimiter(1000) });

    expect(seen.counterMoves).toBe(1);
    expect(seen.transactions).toBe(1);
    const counts = await readCampaignCounts(stack.deps.db, 'settle-batch');
    expect(counts?.counts).toEqual({ accepted: 50, pending: 0, sent: 50, skipped: 0, failed: 0 });
    const records = await readRecipients(
      stack.deps.db,
      'settle-batch',
      addrs.map((a) => emailIdFor(stack, a)),
    );
    expect([...records.values()].every((r) => r.status === 'sent' && r.messageId && r.email === undefined)).toBe(true);
    for (const a of addrs.slice(0, 5)) {
      expect(await mailsTo(a)).toHaveLength(1);
      expect(await sendRecords(a)).toMatchObject([{ campaignId: 'settle-batch', brand: 'livlog', topic: 'newsletter', category: 'marketing' }]);
    }
  });

  it('drops from the transaction a recipient a stale-claim sweep settled meanwhile, and settles and counts the others once', async () => {
    const addrs = Array.from({ length: 12 }, () => uniqueEmail('settle-race'));
    await Promise.all(addrs.map(consenting));
    await campaignOf('settle-race', addrs, 'Settle');
    const raced = emailIdFor(stack, addrs[3] as string) as EmailId;
    // The race: just before the worker's settlement, another process records one of its claimed
    // recipients `failed: interrupted` through the store's own settlement (a real write).
    let raceRun = false;
    stack.deps.db.client.middlewareStack.add(
      (next, context) => async (args) => {
        const items = ((args.input as { TransactItems?: Action[] }).TransactItems ?? []) as Action[];
        const settling = items.some((i) => skOf(i) === `RCPT#${raced}`);
        if (!raceRun && TRANSACT.has(context.commandName ?? '') && settling) {
          raceRun = true;
          const target = { campaignId: 'settle-race', brand: 'livlog', topic: 'newsletter', category: 'marketing' as const, counters: true };
          expect(await finishRecipient(stack.deps.db, target, raced, undefined, { status: 'failed', reason: 'interrupted' }, at)).toBe(true);
        }
        return next(args);
      },
      { step: 'initialize', name: 'staleSweepRace' },
    );

    await runCampaign(stack.deps, { campaignId: 'settle-race' }, { limiter: createRateLimiter(1000) });

    expect(raceRun).toBe(true);
    const counts = await readCampaignCounts(stack.deps.db, 'settle-race');
    expect(counts?.counts).toEqual({ accepted: 12, pending: 0, sent: 11, skipped: 0, failed: 1 });
    const records = await readRecipients(
      stack.deps.db,
      'settle-race',
      addrs.map((a) => emailIdFor(stack, a)),
    );
    expect(records.get(raced)).toMatchObject({ status: 'failed', reason: 'interrupted' });
    expect([...records.values()].filter((r) => r.status === 'sent')).toHaveLength(11);
  });

  it('fault injection: a conflict after seven recipients were settled by others meanwhile is waited out, not given up on', async () => {
    const addrs = Array.from({ length: 10 }, () => uniqueEmail('settle-drops'));
    await campaignOf('settle-drops', addrs, 'Settle');
    const ids = addrs.map((a) => emailIdFor(stack, a));
    // Seven tries each find their first recipient settled by someone else meanwhile (a real
    // condition failure, written here just before the try), then one try is cancelled by a
    // conflict (injected: DynamoDB Local does not time one), then the rest go through.
    let tries = 0;
    let inside = false;
    const name = 'dropsThenConflict';
    stack.deps.db.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (inside || !TRANSACT.has(context.commandName ?? '')) return next(args);
        const items = ((args.input as { TransactItems?: Action[] }).TransactItems ?? []) as Action[];
        const first = items
          .map(skOf)
          .find((sk) => sk.startsWith('RCPT#'))
          ?.slice('RCPT#'.length);
        if (!first || !ids.includes(first as EmailId)) return next(args);
        tries++;
        if (tries <= 7) {
          inside = true;
          try {
            expect(await settleSkippedRecipients(stack.deps.db, 'settle-drops', [{ emailId: first as EmailId, reason: 'no-consent' }], at)).toEqual(
              new Set([first]),
            );
          } finally {
            inside = false;
          }
        } else if (tries === 8) {
          throw new TransactionCanceledException({
            message: 'Transaction cancelled (injected conflict)',
            $metadata: {},
            CancellationReasons: items.map(() => ({ Code: 'TransactionConflict' })),
          });
        }
        return next(args);
      },
      { step: 'initialize', name },
    );
    try {
      const settled = await settleSkippedRecipients(
        stack.deps.db,
        'settle-drops',
        ids.map((emailId) => ({ emailId, reason: 'no-consent' as const })),
        at,
      );
      expect(tries).toBe(9);
      expect(settled.size).toBe(3);
    } finally {
      stack.deps.db.client.middlewareStack.remove(name);
    }
    const counts = await readCampaignCounts(stack.deps.db, 'settle-drops');
    expect(counts?.counts).toMatchObject({ accepted: 10, pending: 0, skipped: 10 });
  });
});

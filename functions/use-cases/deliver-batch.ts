import type { Brand } from '../core/brands';
import { forEachConcurrently } from '../core/concurrency';
import type { EmailId } from '../core/email-id';
import type { RecipientDecision, SendScope } from '../core/recipient-filter';
import type { Deps } from '../deps';
import type { EntryResult, RetryOptions } from '../mail/bulk';
import type { RateLimiter } from '../queue/rate-limiter';
import { type ClaimRecordKey, dropClaimRecord, recordClaim } from '../store/campaign-claims';
import { claimRecipient, finishRecipient, releaseClaim } from '../store/campaign-recipients';
import { finishRecipients, settleSkippedRecipients } from '../store/campaign-settlements';
import type { FinalResult, MailContent, RecipientRecord } from '../store/campaigns';
import type { BatchReadOptions } from '../store/recipients';
import { decideRecipients } from './decide-recipients';
import { templateRefusal } from './recipient-mail';
import { sendChunk } from './send-chunk';

/** A claim older than this was left by a worker that died between claim and send. */
export const CLAIM_TIMEOUT_MS = 15 * 60 * 1000;

export interface DeliveryContext {
  campaignId: string;
  brand: Brand;
  scope: SendScope;
  mail: MailContent;
  /** Whether the campaign has counters to keep (campaigns do; a plain /v1/sends call does not). */
  counters: boolean;
}

export interface DeliveryRecipient {
  emailId: EmailId;
  email: string;
  data: Record<string, string>;
}

/** What happened to a recipient: the result recorded now, or the one recorded by an earlier call. */
export type DeliveryResult = FinalResult;

const CLAIM_CONCURRENCY = 25;

export interface DeliveryOptions {
  /** The send rate; when given, each chunk of mails waits for it and is decided again after the wait. */
  limiter?: RateLimiter;
  /** The most mails sent after one wait (what the rate allows in about a second). @default all */
  sendChunk?: number;
  /** Aborted: no further chunk is sent, and the claims it would have used are given back. */
  signal?: AbortSignal;
  read?: BatchReadOptions;
  retry?: RetryOptions;
  onSesCall?: () => void;
}

/**
 * The one path every marketing or transactional mail of the send pipeline takes, for /v1/sends
 * and for campaign batches alike. Steps:
 * 1. decide every recipient from a fresh batched read (a 503 here has claimed nothing);
 * 2. record the skipped: they take no share of the send rate (a campaign's, still `pending`, in
 *    one transaction for the batch, without a claim);
 * 3. for each chunk of the eligible: wait for the rate (tokens for these mails only), decide them
 *    again from a fresh read, so that what changed during the wait counts, record the newly skipped;
 * 4. claim the chunk (conditional write), only now, so that nothing is claimed while waiting; a
 *    lost claim answers the recorded result instead; a fault before SES took the chunk gives its
 *    claims back (later chunks were never claimed);
 * 5. send the rest (SES bulk template, or rendered content per recipient; marketing with
 *    List-Unsubscribe and the footer, a template only while it still places the footer), retrying throttling;
 * 6. record each as `sent` (with the send record under the address) or `failed` with a reason, the
 *    chunk in one transaction with one move of its counts.
 */
export async function deliverBatch(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'mailer' | 'random' | 'ses' | 'tokens'>,
  ctx: DeliveryContext,
  recipients: readonly DeliveryRecipient[],
  opts: DeliveryOptions = {},
): Promise<Map<EmailId, DeliveryResult>> {
  const results = new Map<EmailId, DeliveryResult>();
  const { decisions, locales } = await decideRecipients(
    deps,
    ctx.scope,
    recipients.map((r) => r.emailId),
    opts.read,
  );

  // The SES client (and its SDK, imported on first use) before any claim: should that fail, nothing
  // is claimed, and the work is simply tried again rather than ending `failed` or `interrupted`.
  await deps.ses();
  // Checked again for every batch, before any claim: the template may have changed since intake.
  const refusal = [...decisions.values()].some((d) => d.eligible) ? await templateRefusal(deps, ctx.scope, ctx.mail) : undefined;
  const candidates = ctx.counters ? await settleTheSkippedAtOnce(deps, ctx, recipients, decisions, results) : recipients;
  const claimId = deps.random.id();
  const giveBack = (rs: readonly DeliveryRecipient[]) =>
    Promise.all(rs.filter((r) => !results.has(r.emailId)).map((r) => releaseClaim(deps.db, ctx.campaignId, r.emailId, claimId)));
  // Claims are taken per chunk, only once its wait for the rate is over: a worker killed while
  // waiting (a Lambda at its timeout) leaves its recipients `pending`, not claimed for the stale-claim timeout.
  // One claim record lists every recipient this call may claim, written before its first claim,
  // so that a worker dying with claims is found; it goes once the call has settled what it claimed
  // (left, after a fault, for the sweep: a claim given back may have failed to go back). A call with
  // one recipient to claim (a single send, or a campaign batch's last one) indexes its claim on the
  // recipient instead: that entry's write and its removal in the settlement cost less than the
  // record's write and delete, and two calls fewer; the sweep and an erasure find it by that entry.
  const recorded = candidates.length > 1;
  let record: Promise<ClaimRecordKey> | undefined;
  const claim = async (rs: readonly DeliveryRecipient[]) => {
    if (rs.length === 0) return [];
    const claimedAt = deps.clock.now().toISOString();
    if (recorded) {
      record ??= recordClaim(
        deps.db,
        ctx.campaignId,
        { claimId, at: claimedAt },
        candidates.map((r) => r.emailId),
      );
      await record;
    }
    const won = new Set<DeliveryRecipient>();
    try {
      await forEachConcurrently(rs, CLAIM_CONCURRENCY, async (r) => {
        const outcome = await claimRecipient(deps.db, ctx.campaignId, r.emailId, { claimId, at: claimedAt, recorded });
        if (outcome.claimed) won.add(r);
        else results.set(r.emailId, await earlierResult(deps, ctx, outcome.existing));
      });
    } catch (err) {
      await giveBack([...won]);
      throw err;
    }
    // In the order given (claims finish in any order), so that the mails go out in it.
    return rs.filter((r) => won.has(r));
  };
  // A chunk's results in one transaction (up to 99) with one move of their counts.
  const finish = async (settlements: { emailId: EmailId; result: FinalResult }[]) => {
    if (settlements.length === 0) return;
    await finishRecipients(deps.db, finishTarget(ctx), claimId, settlements, deps.clock.now().toISOString());
    for (const s of settlements) results.set(s.emailId, s.result);
  };
  const skipTheIneligible = async (rs: readonly DeliveryRecipient[], decided: Map<EmailId, RecipientDecision>) => {
    await finish(
      rs.flatMap((r) => {
        const d = decided.get(r.emailId) as RecipientDecision;
        return d.eligible ? [] : [{ emailId: r.emailId, result: { status: 'skipped' as const, reason: d.reason } }];
      }),
    );
    return rs.filter((r) => decided.get(r.emailId)?.eligible === true);
  };
  /** Claims a chunk, records its skipped and sends the rest; a fault before SES took the chunk gives its claims back. */
  const claimAndSend = async (rs: readonly DeliveryRecipient[], decided: Map<EmailId, RecipientDecision>) => {
    const claimed = await claim(rs);
    let sent: EntryResult[];
    let chunk: DeliveryRecipient[];
    try {
      chunk = await skipTheIneligible(claimed, decided);
      if (chunk.length === 0) return;
      sent = refusal ? chunk.map((): EntryResult => ({ ok: false, reason: refusal })) : await sendChunk(deps, ctx, chunk, locales, opts);
    } catch (err) {
      await giveBack(claimed);
      throw err;
    }
    // Past this point SES may have taken the mails: a fault keeps the claims (never sent twice).
    await finish(
      chunk.map((r, j) => {
        const s = sent[j] as EntryResult;
        return { emailId: r.emailId, result: s.ok ? { status: 'sent', messageId: s.messageId } : { status: 'failed', reason: s.reason } };
      }),
    );
  };

  // Those already skipped (or no longer pending) take no share of the rate.
  await claimAndSend(
    candidates.filter((r) => decisions.get(r.emailId)?.eligible !== true),
    decisions,
  );
  const eligible = candidates.filter((r) => decisions.get(r.emailId)?.eligible === true);
  const size = Math.max(1, Math.floor(opts.sendChunk ?? eligible.length));
  for (let i = 0; i < eligible.length; i += size) {
    // Stopping (the local stack shutting down): what was not sent waits, pending (never claimed), for the next run.
    if (opts.signal?.aborted) break;
    let chunk = eligible.slice(i, i + size);
    let decided = decisions;
    // A refused template sends nothing, so it waits for no rate.
    if (opts.limiter && !refusal) {
      await opts.limiter.take(chunk.length);
      const again = await decideRecipients(
        deps,
        ctx.scope,
        chunk.map((r) => r.emailId),
        opts.read,
      );
      for (const [id, l] of again.locales) locales.set(id, l);
      decided = again.decisions;
      if (ctx.counters) chunk = await settleTheSkippedAtOnce(deps, ctx, chunk, decided, results);
    }
    await claimAndSend(chunk, decided);
  }
  // Best effort: a record left behind lists only settled or pending recipients, and the sweep drops it.
  if (record) await dropClaimRecord(deps.db, await record).catch(() => {});
  return results;
}

/**
 * A campaign's recipients are stored `pending`, so those the decision skips need no claim: they
 * are settled in one transaction per batch (a claim and a settlement each would be most of a
 * mostly-skipped campaign's time). Returns the rest, to be claimed; one that was no longer
 * pending is among them, and its claim answers what became of it.
 */
async function settleTheSkippedAtOnce(
  deps: Pick<Deps, 'clock' | 'db'>,
  ctx: DeliveryContext,
  recipients: readonly DeliveryRecipient[],
  decisions: Map<EmailId, RecipientDecision>,
  results: Map<EmailId, DeliveryResult>,
): Promise<DeliveryRecipient[]> {
  const skipped = recipients.flatMap((r) => {
    const d = decisions.get(r.emailId);
    return d && !d.eligible ? [{ emailId: r.emailId, reason: d.reason }] : [];
  });
  if (skipped.length === 0) return [...recipients];
  const settled = await settleSkippedRecipients(deps.db, ctx.campaignId, skipped, deps.clock.now().toISOString());
  for (const s of skipped) if (settled.has(s.emailId)) results.set(s.emailId, { status: 'skipped', reason: s.reason });
  return recipients.filter((r) => !settled.has(r.emailId));
}

const finishTarget = (ctx: DeliveryContext) => ({
  campaignId: ctx.campaignId,
  brand: ctx.scope.brand,
  topic: ctx.scope.topic,
  category: ctx.scope.category,
  purpose: ctx.scope.category === 'transactional' ? ctx.scope.purpose : undefined,
  counters: ctx.counters,
});

/**
 * The answer for a recipient someone else claimed: its recorded result; a claim abandoned long
 * ago becomes `failed: interrupted` (the mail may or may not have left, so it is never re-sent
 * silently); a live claim is reported as in progress without recording anything.
 */
async function earlierResult(deps: Pick<Deps, 'clock' | 'db'>, ctx: DeliveryContext, rec: RecipientRecord): Promise<DeliveryResult> {
  if (rec.status === 'sent') return { status: 'sent', messageId: rec.messageId ?? '' };
  if (rec.status === 'skipped') return { status: 'skipped', reason: rec.reason as never };
  if (rec.status === 'failed') return { status: 'failed', reason: rec.reason ?? 'failed' };
  const age = deps.clock.now().getTime() - new Date(rec.claimedAt ?? 0).getTime();
  if (age < CLAIM_TIMEOUT_MS) return { status: 'failed', reason: 'in-progress' };
  await finishRecipient(deps.db, finishTarget(ctx), rec.emailId, rec.claimId, { status: 'failed', reason: 'interrupted' }, deps.clock.now().toISOString());
  return { status: 'failed', reason: 'interrupted' };
}

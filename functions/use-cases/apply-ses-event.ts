/**
 * Applies one SES feedback event delivered by EventBridge (in AWS by a rule on the default bus,
 * locally by POST /local/ses-events):
 *
 * 1. validate the envelope and the SES detail; other detail-types are ignored;
 * 2. if the event id was already applied, do nothing;
 * 3. per recipient: a permanent bounce suppresses (`bounce`, every brand); a transient one is
 *    counted and suppresses at the third within 14 days; a complaint suppresses (`complaint`,
 *    every brand) and unsubscribes every topic of the brand in the message tags; a delivery
 *    resets the transient counter; a reject changes nothing;
 * 4. mark the event id as applied, together with the brand's daily counters.
 *
 * Step 3 is idempotent and step 4 comes last, so a crash in between only means the event is
 * applied again on redelivery: no suppression is lost and nothing is counted twice.
 */

import { type ChangeContext, suppress, unsubscribeEverything } from '../core/consent';
import { normalizeEmail } from '../core/email';
import { ValidationError } from '../core/errors';
import { parseSesEvent, type SesFeedback, SOFT_BOUNCE_LIMIT, SOFT_BOUNCE_WINDOW_DAYS } from '../core/ses-events';
import { chainDecisions, withAddress } from '../core/suppressions';
import type { Deps } from '../deps';
import type { FeedbackCounts } from '../store/feedback';
import { countSoftBounce, recordSesEvent, resetSoftBounces, sesEventSeen } from '../store/feedback';
import { updateSubscriber } from '../store/subscribers';

export type SesEventResult =
  | { eventId: string; status: 'applied'; kind: SesFeedback['kind']; recipientCount: number; suppressed: number; invalidRecipients: number }
  | { eventId: string; status: 'duplicate' }
  | { eventId: string; status: 'ignored'; detailType: string };

/** Applies one event; throws `ValidationError` for a malformed one and store errors as they come. */
export async function applySesEvent(deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emailIdOf'>, input: unknown): Promise<SesEventResult> {
  const parsed = parseSesEvent(input);
  if (parsed.kind === 'ignored') return { eventId: parsed.eventId, status: 'ignored', detailType: parsed.detailType };
  return applyFeedback(deps, parsed.feedback);
}

/** Applies an event already validated by `parseSesEvent`. */
export async function applyFeedback(deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emailIdOf'>, f: SesFeedback): Promise<SesEventResult> {
  if (await sesEventSeen(deps.db, f.eventId)) return { eventId: f.eventId, status: 'duplicate' };

  let suppressed = 0;
  let invalid = 0;
  const counts: Partial<FeedbackCounts> = {};
  const count = (c: keyof FeedbackCounts) => {
    counts[c] = (counts[c] ?? 0) + 1;
  };
  const brand = f.tags.brand ? deps.config.brands.get(f.tags.brand) : undefined;

  for (const raw of new Set(f.recipients)) {
    const norm = normalizeEmail(raw);
    if (!norm.ok) {
      invalid++;
      continue;
    }
    const email = norm.email;
    const emailId = deps.emailIdOf(email);
    const ctx: ChangeContext = { at: f.at, source: 'ses-feedback', by: 'ses', ref: f.messageId };
    const suppressAll = async (reason: 'bounce' | 'complaint', why: string, alsoUnsubscribe: boolean) => {
      const { changed } = await updateSubscriber(deps.db, deps.clock, emailId, (current) =>
        withAddress(
          chainDecisions(
            current,
            (s) => suppress(s, '*', reason, { ...ctx, reason: why }),
            (s) =>
              alsoUnsubscribe && brand && s.status !== 'erased'
                ? unsubscribeEverything(s, [brand], { ...ctx, reason: why }, 'unsubscribed-by-complaint')
                : undefined,
          ),
          email,
        ),
      );
      if (changed) suppressed++;
    };

    switch (f.kind) {
      case 'bounce':
        if (f.bounceType === 'Permanent') {
          count('bounced');
          await suppressAll('bounce', `permanent bounce${f.bounceSubType ? ` (${f.bounceSubType})` : ''}`, false);
        } else {
          count('softBounced');
          const n = await countSoftBounce(deps.db, emailId, f.eventId, f.at, SOFT_BOUNCE_WINDOW_DAYS);
          if (n >= SOFT_BOUNCE_LIMIT) await suppressAll('bounce', `${n} transient bounces within ${SOFT_BOUNCE_WINDOW_DAYS} days`, false);
        }
        break;
      case 'complaint':
        count('complained');
        await suppressAll('complaint', `complaint${f.feedbackType ? ` (${f.feedbackType})` : ''}`, true);
        break;
      case 'delivery':
        count('delivered');
        await resetSoftBounces(deps.db, emailId, f.at);
        break;
      case 'reject':
        count('rejected');
        break;
    }
  }

  const recorded = await recordSesEvent(deps.db, {
    eventId: f.eventId,
    detailType: f.kind,
    at: f.at,
    stats: { brand: brand?.id ?? 'untagged', day: f.at.toISOString().slice(0, 10), counts },
  });
  // Another delivery of the same event got there first; what this one did was a repeat.
  if (recorded === 'duplicate') return { eventId: f.eventId, status: 'duplicate' };
  return { eventId: f.eventId, status: 'applied', kind: f.kind, recipientCount: new Set(f.recipients).size, suppressed, invalidRecipients: invalid };
}

/**
 * The Lambda handler for EventBridge, given its dependencies (handlers/ses-events.ts builds them
 * once per cold start; tests pass the test stack's). A malformed event is logged and dropped,
 * since retrying cannot fix it; any other failure is thrown so that EventBridge retries and, in
 * the end, parks the event in the dead-letter queue.
 */
export function sesEventHandler(deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emailIdOf' | 'logger'>) {
  return async (event: unknown): Promise<SesEventResult | { status: 'invalid' }> => {
    const id = (event as { id?: unknown } | null)?.id;
    const log = deps.logger.child({ eventId: typeof id === 'string' ? id.slice(0, 256) : undefined });
    try {
      const result = await applySesEvent(deps, event);
      log.info('ses event', { ...result });
      return result;
    } catch (err) {
      if (err instanceof ValidationError) {
        log.warn('ses event invalid', { issues: err.details.map((d) => d.path) });
        return { status: 'invalid' };
      }
      log.error('ses event failed', { error: err });
      throw err;
    }
  };
}

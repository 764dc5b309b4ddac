import type { Locale } from '../core/brands';
import { everConfirmedTopics } from '../core/consent-history';
import { consentWording } from '../core/consent-wording';
import type { ConsentSource } from '../core/ledger';
import { decidePreferences, type PreferenceChange } from '../core/preferences';
import type { Deps } from '../deps';
import { listLedger, updateSubscriber } from '../store/subscribers';
import { type PreferencesView, preferencesOf } from './read-preferences';
import { sendConfirmationMail } from './send-confirmation';
import { readUnsubscribeToken, requireTopics } from './subscription-claims';

export interface SavePreferencesInput {
  token: string;
  change: PreferenceChange;
  source: Extract<ConsentSource, 'preference-page' | 'api'>;
  /** The locale of the page (or the brand's default for the API): wording and any confirmation mail. */
  locale: Locale;
  ip?: string;
  userAgent?: string;
}

/**
 * POST /u/{token}/preferences and PUT /v1/preferences/{token}.
 * 1. Verify the unsubscribe token; every named topic must be one of the brand's.
 * 2. Read the ledger for the topics once confirmed (the resubscribe rule, core/preferences.ts).
 * 3. One transaction: the new states and their ledger events (source `preference-page` or `api`,
 *    with the wording shown, policy version, IP and user agent). Nothing to change, nothing written.
 * 4. Topics that now need a double opt-in get a confirmation mail (subscribe window applies).
 * 5. The preferences as they now are.
 */
export async function savePreferences(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emailIdOf' | 'mailer' | 'tokens'>,
  input: SavePreferencesInput,
): Promise<PreferencesView> {
  const { brand, emailId } = readUnsubscribeToken(deps, input.token);
  if (input.change.kind === 'topics') requireTopics(brand, Object.keys(input.change.topics), (t) => `topics.${t}`);
  const confirmed = input.change.kind === 'unsubscribe-all' ? new Set<string>() : everConfirmedTopics(await listLedger(deps.db, emailId), brand.id);
  const ctx = {
    at: deps.clock.now(),
    source: input.source,
    wording: consentWording(input.source === 'api' ? 'api' : 'preferences', input.locale, brand.name[input.locale]),
    policyVersion: deps.config.policyVersion,
    ...(input.ip ? { ip: input.ip } : {}),
    ...(input.userAgent ? { userAgent: input.userAgent } : {}),
  };
  let requested: string[] = [];
  const { subscriber } = await updateSubscriber(deps.db, deps.clock, emailId, (s) => {
    const d = decidePreferences(s, brand, input.change, confirmed, ctx);
    requested = d?.requested ?? [];
    return d;
  });
  if (requested.length && subscriber.email) {
    await sendConfirmationMail(deps, { brand, emailId, email: subscriber.email, topics: requested, locale: input.locale });
  }
  return preferencesOf(deps, brand, emailId);
}

import type { Brand } from '../core/brands';
import { unsubscribeSubscribedTopic, unsubscribeTopics } from '../core/consent';
import { consentWording } from '../core/consent-wording';
import type { Deps } from '../deps';
import { unsubscribeIfSubscribed } from '../store/one-click';
import { readUnsubscribeToken } from './subscription-claims';

export interface OneClickInput {
  token: string;
  ip?: string;
  userAgent?: string;
}

/**
 * POST /u/{token} (RFC 8058 one-click).
 * 1. Verify the unsubscribe token: brand, emailId, topic.
 * 2. The usual case, a `subscribed` topic: one conditional write, no read (store/one-click.ts).
 *    The topic becomes `unsubscribed` with its ledger event (source `one-click`).
 * 3. Otherwise one read and, unless the topic is already unsubscribed, one transaction with the
 *    same decision. An address the store never saw, or erased, gets the same: the record (without
 *    an address; a tombstone stays a tombstone) keeps the topic closed, so the person stays off
 *    the list.
 */
export async function unsubscribeOneClick(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'tokens'>,
  input: OneClickInput,
): Promise<{ brand: Brand; topic: string; changed: boolean }> {
  const { brand, emailId, topic } = readUnsubscribeToken(deps, input.token);
  const ctx = {
    at: deps.clock.now(),
    source: 'one-click' as const,
    wording: consentWording('one-click', brand.defaultLocale, brand.name[brand.defaultLocale]),
    policyVersion: deps.config.policyVersion,
    ...(input.ip ? { ip: input.ip } : {}),
    ...(input.userAgent ? { userAgent: input.userAgent } : {}),
  };
  if (await unsubscribeIfSubscribed(deps.db, emailId, brand.id, topic, unsubscribeSubscribedTopic(brand.id, topic, ctx))) {
    return { brand, topic, changed: true };
  }
  // Loaded here, not with the route: the read-decide-write path needs the document client, and
  // the usual one-click, the whole first request of many starts, does not (store/one-click.ts).
  const { updateSubscriber } = await import('../store/subscribers');
  const { changed } = await updateSubscriber(deps.db, deps.clock, emailId, (s) =>
    // An erased record keeps the topic closed, but nothing of the request (IP, user agent) is
    // added to the tombstone's redacted ledger.
    unsubscribeTopics(s, brand.id, [topic], s.status === 'erased' ? withoutRequestMeta(ctx) : ctx),
  );
  return { brand, topic, changed };
}

const withoutRequestMeta = <T extends { ip?: string; userAgent?: string }>({ ip: _ip, userAgent: _ua, ...rest }: T): Omit<T, 'ip' | 'userAgent'> => rest;

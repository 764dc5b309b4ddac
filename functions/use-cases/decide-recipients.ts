import type { Brand } from '../core/brands';
import type { EmailId } from '../core/email-id';
import { ValidationError } from '../core/errors';
import { own } from '../core/own';
import { decideRecipient, type RecipientDecision, type SendCategory, type SendScope } from '../core/recipient-filter';
import type { Deps } from '../deps';
import { type BatchReadOptions, type BatchReadStats, readSubscribersForFilter } from '../store/recipients';

/**
 * Shared by the filter, the send and the campaign worker: the brand and topic checked once, then
 * one batched read and one pure decision per recipient. Steps:
 * 1. resolve the brand and topic (400 with details when unknown);
 * 2. read every profile (BatchGetItem, 100 a call, retried; 503 past the deadline);
 * 3. decide each with `decideRecipient`, and note the language its profile keeps for the brand.
 */
export function resolveScope(deps: Pick<Deps, 'config'>, input: { brand: string; topic: string; category: SendCategory }): { brand: Brand; scope: SendScope } {
  const brand = deps.config.brands.require(input.brand);
  // Transactional mail is not a topic; the topic is then only a label for the SES tags.
  if (input.category === 'marketing' && !brand.topics.includes(input.topic)) {
    throw new ValidationError('Unknown topic.', [{ path: 'topic', message: `"${input.topic}" is not a topic of ${brand.id} (${brand.topics.join(', ')})` }]);
  }
  return { brand, scope: { brand: brand.id, topic: input.topic, category: input.category, brandTopics: brand.topics } };
}

export async function decideRecipients(
  deps: Pick<Deps, 'db'>,
  scope: SendScope,
  emailIds: readonly EmailId[],
  opts: BatchReadOptions = {},
): Promise<{ decisions: Map<EmailId, RecipientDecision>; locales: Map<EmailId, string>; stats: BatchReadStats }> {
  const { subscribers, stats } = await readSubscribersForFilter(deps.db, emailIds, opts);
  // The language the profile keeps for the brand, for mail in the recipient's language.
  const locales = new Map<EmailId, string>();
  for (const [id, s] of subscribers) {
    const locale = own(s.brands, scope.brand)?.locale;
    if (locale) locales.set(id, locale);
  }
  return { decisions: new Map(emailIds.map((id) => [id, decideRecipient(subscribers.get(id), scope)])), locales, stats };
}

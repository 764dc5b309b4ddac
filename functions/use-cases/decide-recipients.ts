import type { Brand } from '../core/brands';
import type { EmailId } from '../core/email-id';
import { type FieldIssue, ValidationError } from '../core/errors';
import { own } from '../core/own';
import { decideRecipient, type RecipientDecision, type SendCategory, type SendScope } from '../core/recipient-filter';
import type { Deps } from '../deps';
import { type BatchReadOptions, type BatchReadStats, readSubscribersForFilter } from '../store/recipients';

/**
 * Shared by the filter, the send and the campaign worker: the brand, topic and purpose checked
 * once, then one batched read and one pure decision per recipient. Steps:
 * 1. resolve the brand, topic and purpose (400 with details when unknown);
 * 2. read every profile (BatchGetItem, 100 a call, retried; 503 past the deadline);
 * 3. decide each with `decideRecipient`, and note the language its profile keeps for the brand.
 */
export interface ScopeInput {
  brand: string;
  topic?: string | undefined;
  category: SendCategory;
  purpose?: string | undefined;
}

/**
 * The scope of a send, or `ValidationError` naming each bad field. Marketing needs one of the
 * brand's topics and names no purpose (its lawful ground is the consent for that topic, never a
 * purpose). Transactional names one of the brand's `transactionalPurposes`, so that a mail
 * without consent always says what it is for; its topic is only a label for the SES tags. The
 * filter, which sends nothing and whose answer does not depend on the purpose, passes
 * `purpose: 'when-given'`: a purpose it is given is checked all the same.
 */
export function resolveScope(
  deps: Pick<Deps, 'config'>,
  input: ScopeInput,
  { purpose = 'required' }: { purpose?: 'required' | 'when-given' } = {},
): { brand: Brand; scope: SendScope } {
  const brand = deps.config.brands.require(input.brand);
  const issues: FieldIssue[] = [];
  if (input.category === 'marketing') {
    if (input.topic === undefined)
      issues.push({ path: 'topic', message: `a marketing send names one of the topics of ${brand.id} (${brand.topics.join(', ')})` });
    else if (!brand.topics.includes(input.topic)) {
      issues.push({ path: 'topic', message: `"${input.topic}" is not a topic of ${brand.id} (${brand.topics.join(', ')})` });
    }
    if (input.purpose !== undefined)
      issues.push({ path: 'purpose', message: 'only a transactional send names a purpose; marketing is sent on the consent for its topic' });
    if (issues.length) throw new ValidationError('The topic or purpose does not fit a marketing send.', issues);
    return { brand, scope: { brand: brand.id, category: 'marketing', topic: input.topic as string, brandTopics: brand.topics } };
  }
  const purposes = brand.transactionalPurposes;
  if (input.purpose === undefined ? purpose === 'required' : !purposes.includes(input.purpose)) {
    const given = input.purpose === undefined ? 'a transactional send names its purpose' : `"${input.purpose}" is not a transactional purpose of ${brand.id}`;
    throw new ValidationError("A transactional send needs one of the brand's purposes.", [
      { path: 'purpose', message: `${given}: one of ${purposes.join(', ')}` },
    ]);
  }
  return {
    brand,
    scope: {
      brand: brand.id,
      category: 'transactional',
      ...(input.purpose !== undefined ? { purpose: input.purpose } : {}),
      ...(input.topic !== undefined ? { topic: input.topic } : {}),
      brandTopics: brand.topics,
    },
  };
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

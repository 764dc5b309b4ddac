import { prepareRecipients, type SendCategory, type SkipReason } from '../core/recipient-filter';
import type { Deps } from '../deps';
import type { MailContent } from '../store/campaigns';
import { checkMail } from './check-mail';
import { resolveScope } from './decide-recipients';
import { deliverBatch } from './deliver-batch';

export type SendInput = {
  brand: string;
  /** Required for marketing; for transactional only a label. */
  topic?: string | undefined;
  category: SendCategory;
  /** Required for transactional (one of the brand's `transactionalPurposes`); refused on marketing. */
  purpose?: string | undefined;
  campaignId: string;
  recipients: { email: string; data?: Record<string, string> }[];
} & MailContent;

export type SendResult =
  | { email: string; status: 'sent'; messageId: string }
  | { email: string; status: 'skipped'; reason: SkipReason }
  | { email: string; status: 'failed'; reason: string };

/**
 * POST /v1/sends (up to 50). Steps:
 * 1. resolve brand, topic and purpose, check the mail (template exists, no header injection);
 * 2. normalize and collapse duplicates;
 * 3. deliver the rest (decide, claim, send, record): a repeat of the same campaignId answers the
 *    first call's results and sends nothing again;
 * 4. answer per recipient, in input order.
 */
export async function sendToRecipients(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emailIdOf' | 'mailer' | 'random' | 'ses' | 'tokens'>,
  input: SendInput,
): Promise<SendResult[]> {
  const { brand, scope } = resolveScope(deps, input);
  const mail: MailContent = 'template' in input ? { template: input.template } : { content: input.content };
  await checkMail(deps, mail, input);
  const prepared = prepareRecipients(
    input.recipients.map((r) => ({ email: r.email, data: r.data ?? {} })),
    deps.emailIdOf,
  );
  const valid = prepared.flatMap((p) => ('emailId' in p ? [{ emailId: p.emailId, email: p.email, data: p.data }] : []));
  const results = await deliverBatch(deps, { campaignId: input.campaignId, brand, scope, mail, counters: false }, valid);
  return prepared.map((p): SendResult => {
    if (!('emailId' in p)) return { email: p.input, status: 'skipped', reason: p.skip };
    const r = results.get(p.emailId) ?? { status: 'failed' as const, reason: 'not-processed' };
    return { email: p.input, ...r };
  });
}

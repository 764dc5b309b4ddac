import type { EmailId } from '../core/email-id';
import { prepareRecipients } from '../core/recipient-filter';
import type { Deps } from '../deps';
import type { CampaignQueue } from '../queue/campaign-queue';
import { addRecipient, countAccepted, defineCampaign, type MailContent } from '../store/campaigns';
import { checkMail } from './check-mail';
import { resolveScope } from './decide-recipients';
import type { SendInput } from './send-to-recipients';

const PUT_CONCURRENCY = 32;
const WORK_SIZE = 50;

/**
 * POST /v1/campaigns/{campaignId}/recipients. Steps:
 * 1. resolve brand and topic, check the mail;
 * 2. create the campaign (or check that it is the same brand, topic and category);
 * 3. normalize, collapse duplicates within the call; store each new recipient as `pending`
 *    (a conditional put: one already in the campaign counts as a duplicate);
 * 4. count them on the campaign (invalid addresses are accepted and skipped at once);
 * 5. enqueue the new recipients in work items of 50.
 */
export async function addCampaignRecipients(deps: Deps, queue: CampaignQueue, input: SendInput): Promise<{ accepted: number; duplicates: number }> {
  resolveScope(deps, input);
  const mail: MailContent = 'template' in input ? { template: input.template } : { content: input.content };
  await checkMail(deps, mail);
  const at = deps.clock.now().toISOString();
  await defineCampaign(deps.db, { campaignId: input.campaignId, brand: input.brand, topic: input.topic, category: input.category, mail }, at);

  const prepared = prepareRecipients(
    input.recipients.map((r) => ({ email: r.email, data: r.data })),
    deps.emailIdOf,
  );
  let invalid = 0;
  let duplicates = 0;
  const valid: { emailId: EmailId; email: string; data?: Record<string, string> }[] = [];
  const added: EmailId[] = [];
  for (const p of prepared) {
    if ('emailId' in p) valid.push({ emailId: p.emailId, email: p.email, ...(p.data ? { data: p.data } : {}) });
    else if (p.skip === 'invalid-address') invalid++;
    else duplicates++;
  }
  let next = 0;
  const isNewAt: boolean[] = [];
  const worker = async () => {
    while (next < valid.length) {
      const i = next++;
      const p = valid[i] as (typeof valid)[number];
      const isNew = await addRecipient(deps.db, input.campaignId, p, at);
      if (isNew) isNewAt[i] = true;
      else duplicates++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PUT_CONCURRENCY, valid.length) }, worker));
  for (const [i, p] of valid.entries()) if (isNewAt[i]) added.push(p.emailId);
  await countAccepted(deps.db, input.campaignId, { accepted: added.length, duplicates, invalid });

  const work = [];
  for (let i = 0; i < added.length; i += WORK_SIZE) work.push({ campaignId: input.campaignId, emailIds: added.slice(i, i + WORK_SIZE) });
  await queue.enqueue(work);
  return { accepted: added.length + invalid, duplicates };
}

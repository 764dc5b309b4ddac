import { type EmailId, invalidInputIdOf } from '../core/email-id';
import { StartupError } from '../core/errors';
import { prepareRecipients } from '../core/recipient-filter';
import type { Deps } from '../deps';
import { addRecipients, type IntakeRecipient } from '../store/campaign-intake';
import { defineCampaign, type MailContent } from '../store/campaigns';
import { checkMail } from './check-mail';
import { resolveScope } from './decide-recipients';
import type { SendInput } from './send-to-recipients';

const WORK_SIZE = 50;

/**
 * POST /v1/campaigns/{campaignId}/recipients. Steps:
 * 1. resolve brand, topic and purpose, check the mail;
 * 2. create the campaign (or check that it is the same brand, topic, category and purpose);
 * 3. normalize, collapse duplicates within the call (inputs that are not addresses too, by their
 *    trimmed, lowercased text);
 * 4. store them in chunks, each with its counts in one transaction: new addresses `pending`,
 *    inputs that are not addresses skipped `invalid-address`; what an earlier call stored is a
 *    duplicate (so the `accepted` of all calls add up to the distinct inputs, whatever failed);
 * 5. as each chunk is stored, enqueue its new recipients, and those an earlier call stored that
 *    still wait (that call may have died before enqueuing them), in work items of 50.
 */
export async function addCampaignRecipients(
  deps: Pick<Deps, 'campaignQueue' | 'clock' | 'config' | 'db' | 'emailIdOf' | 'ses'>,
  input: SendInput,
): Promise<{ accepted: number; duplicates: number }> {
  const queue = deps.campaignQueue;
  // Chosen where the dependencies are made (functions/wiring.ts); a function without one does not serve this route.
  if (!queue) throw new StartupError('no campaign queue was wired into these dependencies');
  resolveScope(deps, input);
  const mail: MailContent = 'template' in input ? { template: input.template } : { content: input.content };
  await checkMail(deps, mail, input);
  const at = deps.clock.now().toISOString();
  await defineCampaign(
    deps.db,
    { campaignId: input.campaignId, brand: input.brand, topic: input.topic, category: input.category, purpose: input.purpose, mail },
    at,
  );

  const prepared = prepareRecipients(
    input.recipients.map((r) => ({ email: r.email, data: r.data })),
    deps.emailIdOf,
  );
  let duplicates = 0;
  const recipients: IntakeRecipient[] = [];
  const invalidIds = new Set<string>();
  for (const p of prepared) {
    if ('emailId' in p) recipients.push({ emailId: p.emailId, email: p.email, ...(p.data ? { data: p.data } : {}) });
    else if (p.skip === 'duplicate') duplicates++;
    else {
      const id = invalidInputIdOf(deps.config.emailPepper, p.input);
      if (invalidIds.has(id)) duplicates++;
      else invalidIds.add(id);
    }
  }

  const out = await addRecipients(deps.db, input.campaignId, { recipients, invalidIds: [...invalidIds] }, at, {
    onChunk: async ({ added, waiting }) => {
      const ids: EmailId[] = [...added, ...waiting];
      const work = [];
      for (let i = 0; i < ids.length; i += WORK_SIZE) work.push({ campaignId: input.campaignId, emailIds: ids.slice(i, i + WORK_SIZE) });
      if (work.length) await queue.enqueue(work);
    },
  });
  return { accepted: out.added, duplicates: duplicates + out.existing };
}

import { CreateEmailTemplateCommand } from '@aws-sdk/client-sesv2';
import { type CampaignWork, createInProcessCampaignQueue } from '../../functions/queue/campaign-queue';
import { createRateLimiter, type RateLimiter } from '../../functions/queue/rate-limiter';
import { readCampaignCounts } from '../../functions/store/campaigns';
import { addCampaignRecipients } from '../../functions/use-cases/add-campaign-recipients';
import { runCampaign } from '../../functions/use-cases/run-campaign';
import { type BenchContext, type Figure, row } from '../context';

const N = 10_000;
const ELIGIBLE = 1_000;
const RATE = 20;

/**
 * A campaign of 10,000 recipients of whom 10 % may be mailed, at 20 mails a second: the time from
 * accepted (the recipients stored and their work queued) to every recipient settled, against the
 * time its mails alone need at that rate (eligible ÷ rate = 50 s). The worker runs as locally:
 * the in-process queue, one work item after another, with the real token bucket on the real clock.
 */
export const campaignPaceFigure: Figure = {
  name: 'campaign-pace',
  async run(ctx: BenchContext) {
    const deps = { ...ctx.deps, config: { ...ctx.deps.config, campaignSendRate: RATE } };
    await (await deps.ses()).send(
      new CreateEmailTemplateCommand({ TemplateName: 'bench-pace', TemplateContent: { Subject: 'Pace', Text: 'Hello {{unsubscribeUrl}} {{footer}}' } }),
    );
    // Every tenth recipient is eligible; the others are the seeded ones that are not (unsubscribed,
    // suppressed, never stored), then addresses never seen (no consent).
    // Addresses no other figure changes: one-click unsubscribes the last 1,200 eligible, capacity
    // and cold-start use 3,000-3,114 (in a full run the last 1,000 were mostly unsubscribed already).
    const eligible = ctx.eligible.slice(4000, 4000 + ELIGIBLE);
    const mailable = new Set(ctx.eligible);
    const others = [...ctx.addresses.filter((a) => !mailable.has(a)), ...Array.from({ length: N }, (_, i) => `pace.${i}@example.com`)];
    const recipients = Array.from({ length: N }, (_, i) => ({ email: (i % 10 === 0 ? eligible[i / 10] : others[i - Math.ceil(i / 10)]) as string }));
    const campaignId = `bench-pace-${Date.now()}`;

    ctx.progress(`campaign-pace: storing ${N} recipients`);
    const work: CampaignWork[] = [];
    const accepted = await addCampaignRecipients(
      { ...deps, campaignQueue: { enqueue: async (w) => void work.push(...w) } },
      { campaignId, brand: 'livlog', topic: 'newsletter', category: 'marketing', template: { name: 'bench-pace' }, recipients },
    );
    if (accepted.accepted !== N) throw new Error(`campaign-pace: ${accepted.accepted} accepted of ${N}`);

    let taken = 0;
    const bucket = createRateLimiter(RATE);
    const limiter: RateLimiter = {
      take: (n) => {
        taken += n;
        return bucket.take(n);
      },
    };
    const queue = createInProcessCampaignQueue((w, signal) => runCampaign(deps, w, { limiter, signal }), deps.logger);
    ctx.progress(`campaign-pace: sending at ${RATE}/s (about ${ELIGIBLE / RATE} s)`);
    const started = performance.now();
    await queue.enqueue(work);
    await queue.idle();
    const ms = performance.now() - started;

    const counts = (await readCampaignCounts(deps.db, campaignId))?.counts;
    const settled = (counts?.sent ?? 0) + (counts?.skipped ?? 0) + (counts?.failed ?? 0);
    const label = `campaign pace: ${N.toLocaleString('en')} recipients, ${(ELIGIBLE / N) * 100} % eligible, ${RATE}/s`;
    return [
      row(
        {
          figure: `${label}: accepted → settled`,
          value: ms,
          unit: 'ms',
          baseline: { name: 'eligible ÷ rate', value: (ELIGIBLE / RATE) * 1000 },
          goal: '≤ 1.2',
        },
        (r) => r <= 1.2,
      ),
      row(
        { figure: `${label}: rate tokens taken`, value: taken, unit: 'tokens', baseline: { name: 'eligible', value: ELIGIBLE }, goal: '= 1' },
        (r) => r === 1,
      ),
      row({ figure: `${label}: sent`, value: counts?.sent ?? 0, unit: 'mails', baseline: { name: 'eligible', value: ELIGIBLE }, goal: '= 1' }, (r) => r === 1),
      row({ figure: `${label}: settled`, value: settled, unit: 'recipients', baseline: { name: 'N', value: N }, goal: '= 1' }, (r) => r === 1),
    ];
  },
};

import { CreateEmailTemplateCommand } from '@aws-sdk/client-sesv2';
import { type NormalizedEmail, normalizeEmail } from '../../functions/core/email';
import { resolveScope } from '../../functions/use-cases/decide-recipients';
import { deliverBatch } from '../../functions/use-cases/deliver-batch';
import { type BenchContext, type Figure, row, timed } from '../context';

const N = 500;

/** Sending N eligible recipients with an SES template: one SendBulkEmail call per 50. */
export const sendFigure: Figure = {
  name: 'send',
  async run(ctx: BenchContext) {
    const { deps } = ctx;
    await (await deps.ses()).send(
      new CreateEmailTemplateCommand({
        TemplateName: 'bench',
        TemplateContent: { Subject: 'Bench', Text: 'Hello {{unsubscribeUrl}} {{footer}}', Html: '<p>Hello</p>{{{footerHtml}}}' },
      }),
    );
    const recipients = ctx.eligible.slice(0, N).map((a) => {
      const n = normalizeEmail(a);
      if (!n.ok) throw new Error('seeded address invalid');
      return { email: n.email, emailId: deps.emailIdOf(n.email as NormalizedEmail), data: {} };
    });
    const { brand, scope } = resolveScope(deps, { brand: 'livlog', topic: 'newsletter', category: 'marketing' });
    let calls = 0;
    ctx.progress(`send: ${recipients.length} eligible with a template`);
    const { ms, value } = await timed(() =>
      deliverBatch(deps, { campaignId: `bench-${Date.now()}`, brand, scope, mail: { template: { name: 'bench' } }, counters: false }, recipients, {
        onSesCall: () => {
          calls++;
        },
      }),
    );
    const sent = [...value.values()].filter((r) => r.status === 'sent').length;
    return [
      row(
        { figure: `send ${N} (template): SES calls`, value: calls, unit: 'calls', baseline: { name: '⌈N/50⌉', value: Math.ceil(N / 50) }, goal: '= 1' },
        (r) => r === 1,
      ),
      row({ figure: `send ${N} (template): sent`, value: sent, unit: 'mails', baseline: { name: 'N', value: N }, goal: '= 1' }, (r) => r === 1),
      row({ figure: `send ${N} (template): time`, value: ms, unit: 'ms', baseline: { name: 'per mail', value: N }, goal: 'report' }, () => true),
    ];
  },
};

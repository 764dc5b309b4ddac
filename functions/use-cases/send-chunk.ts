import { forEachConcurrently } from '../core/concurrency';
import type { EmailId } from '../core/email-id';
import type { Deps } from '../deps';
import { type BulkEntry, type EntryResult, type RetryOptions, sendBulkTemplated, sendOne } from '../mail/bulk';
import { MissingTemplateValueError } from '../mail/render';
import { HeaderInjectionError } from '../mail/sender';
import type { DeliveryContext, DeliveryRecipient } from './deliver-batch';
import { recipientMail, renderContent } from './recipient-mail';

/**
 * The SES side of one chunk of deliverBatch: a bulk template call, or rendered content per
 * recipient, with marketing's List-Unsubscribe and footer; one result per recipient, in order.
 */
export async function sendChunk(
  deps: Pick<Deps, 'config' | 'mailer' | 'ses' | 'tokens'>,
  ctx: DeliveryContext,
  rs: readonly DeliveryRecipient[],
  locales: ReadonlyMap<EmailId, string>,
  opts: { retry?: RetryOptions; onSesCall?: () => void },
): Promise<EntryResult[]> {
  const perRecipient = rs.map((r) => recipientMail(deps, ctx, r, locales.get(r.emailId)));
  const tags = sesTags(ctx);
  const mail = ctx.mail;
  if ('template' in mail) {
    const entries: BulkEntry[] = rs.map((r, i) => ({ to: r.email, data: perRecipient[i]?.values ?? {}, headers: perRecipient[i]?.headers ?? [] }));
    return sendBulkTemplated(
      deps.ses,
      {
        from: ctx.brand.from,
        ...(ctx.brand.replyTo ? { replyTo: ctx.brand.replyTo } : {}),
        templateName: mail.template.name,
        tags,
        ...(deps.config.sesConfigurationSet ? { configurationSet: deps.config.sesConfigurationSet } : {}),
      },
      entries,
      { ...opts.retry, ...(opts.onSesCall ? { onCall: opts.onSesCall } : {}) },
    ).catch((err: unknown) => {
      // SES faults are reported per entry; what is thrown is a refused header, or a fault after
      // which the claims must stay (never sent twice).
      if (!(err instanceof HeaderInjectionError)) throw err;
      return rs.map((): EntryResult => ({ ok: false, reason: 'header-injection' }));
    });
  }
  const results: EntryResult[] = [];
  await forEachConcurrently(
    rs.map((r, i) => [r, i] as const),
    8,
    async ([r, i]) => {
      const p = perRecipient[i] ?? { values: {}, headers: [] };
      let rendered: { subject: string; text: string; html?: string };
      try {
        const full = renderContent(mail.content, p);
        rendered = mail.content.html === undefined ? { subject: full.subject, text: full.text } : full;
      } catch (err) {
        results[i] = { ok: false, reason: err instanceof MissingTemplateValueError ? 'missing-template-value' : 'render-failed' };
        return;
      }
      opts.onSesCall?.();
      results[i] = await sendOne(
        deps.mailer,
        { from: ctx.brand.from, to: r.email, ...(ctx.brand.replyTo ? { replyTo: ctx.brand.replyTo } : {}), ...rendered, headers: p.headers, tags },
        opts.retry,
      );
    },
  );
  return results;
}

/** The SES message tags, so that feedback and SES's own reports map back: a transactional mail's purpose among them. */
function sesTags(ctx: DeliveryContext): Record<string, string> {
  const s = ctx.scope;
  return {
    brand: ctx.brand.id,
    ...(s.topic !== undefined ? { topic: s.topic } : {}),
    campaign: ctx.campaignId,
    category: s.category,
    ...(s.category === 'transactional' && s.purpose !== undefined ? { purpose: s.purpose } : {}),
  };
}

import { toSesTag, unsafeForHeader } from '../core/mail-header';
import { backoffDelay } from '../core/token-bucket';
import { HeaderInjectionError, type Mailer, type OutgoingMail } from './sender';
import { loadSesSdk, type SesClientRef } from './ses-client';

/**
 * Marketing mail through SES: templated sends go 50 recipients to a `SendBulkEmail` call, each
 * entry with its own data and `List-Unsubscribe` headers; throttling and transient faults are
 * retried with jittered backoff, and what still fails is reported per recipient, not thrown.
 */
export const BULK_ENTRIES_PER_CALL = 50;

export interface RetryOptions {
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface BulkEntry {
  to: string;
  data: Record<string, string>;
  headers: { name: string; value: string }[];
}

export type EntryResult = { ok: true; messageId: string } | { ok: false; reason: string };

const THROTTLE = new Set(['ThrottlingException', 'TooManyRequestsException', 'Throttling', 'InternalFailure', 'ServiceUnavailable']);
// Connection refused happens before anything is sent; the others may come after SES took the mail.
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * Faults worth another try are those where SES answered that it did not take the mail
 * (throttling, its own 5xx) or where no connection was made. A timeout or a connection lost
 * mid-request is not retried: SES may have sent the mail, it has no idempotency key, and a retry
 * could mail the person twice (the SES client is built with `maxAttempts: 1` for the same reason).
 */
export function isRetryableSesError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const e = err as Error & { code?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
  const answered = typeof e.$metadata?.httpStatusCode === 'number';
  return THROTTLE.has(e.name) || (e.$fault === 'server' && answered) || (e.code !== undefined && NOT_CONNECTED.has(e.code));
}

/** Whether the mail may have gone out although the call failed (a timeout, a dropped connection). */
export function isOutcomeUnknown(err: unknown): boolean {
  if (!(err instanceof Error) || isRetryableSesError(err)) return false;
  const e = err as Error & { code?: string; $metadata?: { httpStatusCode?: number } };
  return typeof e.$metadata?.httpStatusCode !== 'number' && (e.name === 'TimeoutError' || e.code !== undefined);
}

/** Why a send finally failed, as a short reason for the per-recipient result (no message text: it may quote addresses). */
export function failureReason(err: unknown): string {
  if (err instanceof HeaderInjectionError) return 'header-injection';
  if (isRetryableSesError(err)) return 'ses-throttled-or-unavailable';
  if (isOutcomeUnknown(err)) return 'ses-outcome-unknown';
  return `ses-rejected:${err instanceof Error ? err.name : 'unknown'}`;
}

export async function withRetry<T>(fn: () => Promise<T>, { attempts = 5, sleep = defaultSleep, random = Math.random }: RetryOptions = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isRetryableSesError(err) || attempt + 1 >= attempts) throw err;
      await sleep(backoffDelay(attempt + 1, random(), { baseMs: 100, capMs: 5000 }));
    }
  }
}

/** One recipient, one `SendEmail`, retried; a failure becomes a reason. */
export async function sendOne(mailer: Mailer, mail: OutgoingMail, retry: RetryOptions = {}): Promise<EntryResult> {
  try {
    const { messageId } = await withRetry(() => mailer.send(mail), retry);
    return { ok: true, messageId };
  } catch (err) {
    return { ok: false, reason: failureReason(err) };
  }
}

/** The parts of the SES template of this name, or undefined when SES has none (checked before anything of a send goes out). */
export async function readTemplate(ses: SesClientRef, name: string): Promise<{ subject?: string; text?: string; html?: string } | undefined> {
  const [client, { GetEmailTemplateCommand, NotFoundException }] = await Promise.all([ses(), loadSesSdk()]);
  try {
    const out = await withRetry(() => client.send(new GetEmailTemplateCommand({ TemplateName: name })));
    const c = out.TemplateContent ?? {};
    return {
      ...(c.Subject !== undefined ? { subject: c.Subject } : {}),
      ...(c.Text !== undefined ? { text: c.Text } : {}),
      ...(c.Html !== undefined ? { html: c.Html } : {}),
    };
  } catch (err) {
    // The local SES names the error only in its body, so the status code counts too.
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    if (err instanceof NotFoundException || e.name === 'NotFoundException' || e.$metadata?.httpStatusCode === 404) return undefined;
    throw err;
  }
}

/**
 * Sends a template to up to 50 entries in one `SendBulkEmail` call (more entries make more
 * calls). Counts the calls made, for the bench.
 */
export async function sendBulkTemplated(
  ses: SesClientRef,
  mail: { from: string; replyTo?: string; templateName: string; tags: Record<string, string>; configurationSet?: string },
  entries: readonly BulkEntry[],
  retry: RetryOptions & { onCall?: () => void } = {},
): Promise<EntryResult[]> {
  for (const v of [mail.from, mail.replyTo ?? '', ...entries.flatMap((e) => [e.to, ...e.headers.flatMap((h) => [h.name, h.value])])]) {
    if (unsafeForHeader(v)) throw new HeaderInjectionError('bulk entry');
  }
  const [client, { SendBulkEmailCommand }] = await Promise.all([ses(), loadSesSdk()]);
  const results: EntryResult[] = [];
  for (let i = 0; i < entries.length; i += BULK_ENTRIES_PER_CALL) {
    const chunk = entries.slice(i, i + BULK_ENTRIES_PER_CALL);
    try {
      const out = await withRetry(() => {
        retry.onCall?.();
        return client.send(
          new SendBulkEmailCommand({
            FromEmailAddress: mail.from,
            ...(mail.replyTo ? { ReplyToAddresses: [mail.replyTo] } : {}),
            DefaultContent: { Template: { TemplateName: mail.templateName, TemplateData: '{}' } },
            DefaultEmailTags: Object.entries(mail.tags).map(([Name, Value]) => ({ Name: toSesTag(Name), Value: toSesTag(Value) })),
            BulkEmailEntries: chunk.map((e) => ({
              Destination: { ToAddresses: [e.to] },
              ReplacementEmailContent: { ReplacementTemplate: { ReplacementTemplateData: JSON.stringify(e.data) } },
              ...(e.headers.length ? { ReplacementHeaders: e.headers.map((h) => ({ Name: h.name, Value: h.value })) } : {}),
            })),
            ...(mail.configurationSet ? { ConfigurationSetName: mail.configurationSet } : {}),
          }),
        );
      }, retry);
      chunk.forEach((_, j) => {
        const r = out.BulkEmailEntryResults?.[j];
        results.push(
          r?.Status === 'SUCCESS' && r.MessageId
            ? { ok: true, messageId: r.MessageId }
            : { ok: false, reason: `ses-${(r?.Status ?? 'no-result').toLowerCase()}` },
        );
      });
    } catch (err) {
      for (const _ of chunk) results.push({ ok: false, reason: failureReason(err) });
    }
  }
  return results;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

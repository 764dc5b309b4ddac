import { MailError } from '../core/errors';
import { toSesTag, unsafeForHeader } from '../core/mail-header';
import { loadSesSdk, type SesClientRef } from './ses-client';

/** One message for one recipient. Every mail, transactional or marketing, goes through `Mailer`. */
export interface OutgoingMail {
  from: string;
  to: string;
  replyTo?: string;
  subject: string;
  text: string;
  html?: string;
  headers?: { name: string; value: string }[];
  /** SES message tags, so that feedback events map back to brand, topic and campaign. */
  tags?: Record<string, string>;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

export class HeaderInjectionError extends MailError {
  constructor(field: string) {
    super(`line break in mail field ${field}`);
  }
}

export function createSesMailer(ses: SesClientRef, opts: { configurationSet?: string } = {}): Mailer {
  return {
    async send(mail) {
      for (const [field, value] of [
        ['from', mail.from],
        ['to', mail.to],
        ['subject', mail.subject],
        ['replyTo', mail.replyTo ?? ''],
        ...(mail.headers ?? []).map((h) => [`header ${h.name}`, `${h.name}${h.value}`] as const),
      ] as const) {
        if (unsafeForHeader(value)) throw new HeaderInjectionError(field);
      }
      const [client, { SendEmailCommand }] = await Promise.all([ses(), loadSesSdk()]);
      const out = await client.send(
        new SendEmailCommand({
          FromEmailAddress: mail.from,
          Destination: { ToAddresses: [mail.to] },
          ...(mail.replyTo ? { ReplyToAddresses: [mail.replyTo] } : {}),
          Content: {
            Simple: {
              Subject: { Data: mail.subject, Charset: 'UTF-8' },
              Body: {
                Text: { Data: mail.text, Charset: 'UTF-8' },
                ...(mail.html ? { Html: { Data: mail.html, Charset: 'UTF-8' } } : {}),
              },
              ...(mail.headers?.length ? { Headers: mail.headers.map((h) => ({ Name: h.name, Value: h.value })) } : {}),
            },
          },
          ...(mail.tags ? { EmailTags: Object.entries(mail.tags).map(([Name, Value]) => ({ Name: toSesTag(Name), Value: toSesTag(Value) })) } : {}),
          ...(opts.configurationSet ? { ConfigurationSetName: opts.configurationSet } : {}),
        }),
      );
      return { messageId: out.MessageId ?? '' };
    },
  };
}

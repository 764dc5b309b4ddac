import { inject } from 'vitest';

export interface InboxMail {
  messageId: string;
  from: string;
  subject: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  body: { text?: string; html?: string };
  headers?: { name: string; value: string }[];
  at: number;
}

/** The local SES server's store (GET /store), read the way a person reads the web inbox. */
export async function mailsTo(address: string): Promise<InboxMail[]> {
  const res = await fetch(`${inject('sesEndpoint')}/store`);
  const { emails } = (await res.json()) as { emails: InboxMail[] };
  return emails.filter((m) => m.destination.to.some((t) => t.toLowerCase().includes(address.toLowerCase())));
}

/** Waits briefly for mail that is sent after the response (asynchronous senders). */
export async function waitForMails(address: string, count = 1, timeoutMs = 5000): Promise<InboxMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = await mailsTo(address);
    if (mails.length >= count || Date.now() > deadline) return mails;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The first link in a mail's text that starts with `prefix`. */
export function linkIn(mail: InboxMail, prefix: string): string | undefined {
  const text = `${mail.body.text ?? ''}\n${mail.body.html ?? ''}`;
  const esc = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${esc}[A-Za-z0-9_.\\-/?=&%]+`).exec(text)?.[0];
}

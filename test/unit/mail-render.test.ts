import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../functions/core/clock';
import { createTokenService } from '../../functions/core/tokens';
import { listUnsubscribeHeaders, unsubscribeUrl } from '../../functions/mail/list-unsubscribe';
import { MissingTemplateValueError, renderMail } from '../../functions/mail/render';

describe('renderMail', () => {
  const t = { subject: 'Hello {{name}}', text: 'Hi {{name}}, see {{link}}', html: '<p>Hi {{name}}, <a href="{{link}}">open</a></p>' };

  it('escapes values in HTML, keeps them in text, and strips line breaks from the subject', () => {
    const r = renderMail(t, { name: '<script>x</script>\r\nBcc: a@b.c', link: 'https://x/?a=1&b=2' });
    expect(r.html).toContain('&#60;script&#62;x&#60;/script&#62;');
    expect(r.html).not.toContain('<script>');
    expect(r.html).toContain('href="https://x/?a=1&#38;b=2"');
    expect(r.subject).toBe('Hello <script>x</script> Bcc: a@b.c');
    expect(r.subject).not.toMatch(/[\r\n]/);
    expect(r.text).toContain('https://x/?a=1&b=2');
  });

  it('refuses to render with a missing value', () => {
    expect(() => renderMail(t, { name: 'x' })).toThrow(MissingTemplateValueError);
  });
});

describe('List-Unsubscribe', () => {
  const tokens = createTokenService({ signingKeyId: 'k', keys: { k: Buffer.alloc(32, 1) } }, fixedClock('2026-11-29T00:00:00Z'));

  it('builds the RFC 8058 pair with an https link whose token names brand, recipient and topic', () => {
    const url = unsubscribeUrl('https://prefs.livlog.jp', tokens, { brand: 'livlog', emailId: 'e'.repeat(43), topic: 'events' });
    expect(url).toMatch(/^https:\/\/prefs\.livlog\.jp\/u\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const token = url.split('/u/')[1] ?? '';
    expect(tokens.verify(token, 'unsubscribe')).toMatchObject({ b: 'livlog', e: 'e'.repeat(43), t: 'events' });
    expect(listUnsubscribeHeaders(url, 'unsubscribe@livlog.jp')).toEqual([
      { name: 'List-Unsubscribe', value: `<${url}>, <mailto:unsubscribe@livlog.jp?subject=unsubscribe>` },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ]);
  });
});

describe('mail sent before an address is verified', () => {
  it('names only values the backend makes: never the name, message or source a caller typed', async () => {
    const { inquiryVerify } = await import('../../functions/mail/templates/inquiry-verify');
    const { inquiryReminder } = await import('../../functions/mail/templates/inquiry-reminder');
    const { confirmSubscriptionTemplate } = await import('../../functions/mail/templates/confirm-subscription');
    // `email` is the recipient's own address, which the mail goes to anyway.
    const made = new Set(['brandName', 'typeLabel', 'verifyUrl', 'email', 'topicList', 'confirmUrl', 'validDays']);
    for (const template of [inquiryVerify, inquiryReminder, confirmSubscriptionTemplate]) {
      for (const part of [template.ja, template.en]) {
        const names = [...`${part.subject}${part.text}${part.html}`.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]);
        expect(names.length).toBeGreaterThan(0);
        expect(names.filter((n) => !made.has(n as string))).toEqual([]);
      }
    }
  });
});

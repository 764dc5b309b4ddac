import { expect } from 'vitest';
import type { Locale } from '../../functions/core/brands';
import { escapeHtml } from '../../functions/mail/render';
import type { InboxMail } from './inbox';
import type { TestStack } from './stack';

/**
 * The sentence of the marketing footer that says the recipient may stop these mails, as the
 * recipient reads it. Japanese in escapes (no Japanese is written in code): "at any time" and "can
 * be stopped".
 */
export const OPT_OUT_SENTENCE: Record<Locale, string[]> = {
  ja: ['\u3044\u3064\u3067\u3082', '\u505c\u6b62\u3067\u304d\u307e\u3059'],
  en: ['You may stop these emails at any time'],
};

/**
 * Asserts that a marketing mail, as the local SES received it, carries the footer of the brand in
 * the locale in both its text and HTML: legal name, postal address, contact, the opt-out sentence
 * and the link to this mail's preference center, the same URL as its List-Unsubscribe header.
 * Answers that URL.
 */
export function expectMarketingFooter(stack: TestStack, mail: InboxMail | undefined, brandId: string, locale: Locale): string {
  expect(mail, 'the mail arrived').toBeDefined();
  const brand = stack.deps.config.brands.get(brandId);
  if (!brand || !mail) throw new Error(`no brand ${brandId} or no mail`);
  const text = mail.body.text ?? '';
  const header = mail.headers?.find((h) => h.name.toLowerCase() === 'list-unsubscribe')?.value ?? '';
  const url = /<(https?:\/\/[^>]+\/u\/[^>]+)>/.exec(header)?.[1];
  expect(url, 'a List-Unsubscribe link').toBeDefined();
  const { legalName, postalAddress, contact } = brand.sender;
  for (const value of [legalName[locale], postalAddress[locale], contact, ...OPT_OUT_SENTENCE[locale], url as string]) {
    expect(text, `text footer in ${locale}`).toContain(value);
  }
  if (mail.body.html !== undefined && mail.body.html !== '') {
    const html = mail.body.html;
    for (const value of [legalName[locale], postalAddress[locale], contact, ...OPT_OUT_SENTENCE[locale]]) {
      expect(html, `HTML footer in ${locale}`).toContain(escapeHtml(value));
    }
    expect(html).toContain(`href="${escapeHtml(url as string)}"`);
  }
  return url as string;
}

/** Asserts that the preference page a footer links to offers the mail's topic's unsubscribe before anything else. */
export async function expectTopicOfferedFirst(stack: TestStack, url: string, topic: string, locale: Locale): Promise<void> {
  const path = new URL(url).pathname;
  const res = await stack.app.request(`${path}?lang=${locale}`, { headers: { accept: 'text/html' } });
  expect(res.status).toBe(200);
  const page = await res.text();
  const first = page.indexOf(`<form method="post" action="${path}?lang=${locale}"`);
  expect(first, 'a form posting the one-click of this link').toBeGreaterThan(-1);
  expect(page.indexOf('name="List-Unsubscribe" value="One-Click"', first)).toBeGreaterThan(first);
  expect(page.indexOf('name="topics"'), 'before the topic choices').toBeGreaterThan(first);
  const label = escapeHtml(stack.deps.config.brands.topicLabel(topic, locale));
  expect(page.slice(first, page.indexOf('</form>', first))).toContain(label);
}

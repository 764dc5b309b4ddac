import type { Brand, Locale } from '../core/brands';
import type { FieldIssue } from '../core/errors';
import { type MailFragment, renderFragment } from './render';
import { marketingFooterTemplate } from './templates/marketing-footer';

/**
 * The footer every marketing mail carries (CONTRACT.md "What every marketing mail carries"), in
 * the recipient's language, and the rules that keep a sender from leaving it out: content gets it
 * where it says `{{footer}}`, else appended; an SES template must place it itself, as `{{footer}}`
 * in its text part and `{{{footerHtml}}}` (not escaped: it is HTML) in its HTML part.
 */

/** The values the backend puts into every marketing mail; a caller's data never overrides them. */
export const BACKEND_VALUES = ['brandName', 'unsubscribeUrl', 'footer', 'footerHtml'] as const;

export function marketingFooter(brand: Brand, locale: Locale, preferencesUrl: string): MailFragment {
  return renderFragment(marketingFooterTemplate[locale], {
    legalName: brand.sender.legalName[locale],
    postalAddress: brand.sender.postalAddress[locale],
    contact: brand.sender.contact,
    brandName: brand.name[locale],
    preferencesUrl,
  });
}

const FOOTER = /\{\{\s*footer\s*\}\}/;
// Handlebars accepts both forms in a text part, and the triple one leaves `&` in a name as it is.
const FOOTER_IN_TEMPLATE_TEXT = /\{\{\{\s*footer\s*\}\}\}|\{\{\s*footer\s*\}\}/;
const FOOTER_HTML_IN_TEMPLATE = /\{\{\{\s*footerHtml\s*\}\}\}/;

/**
 * Placed inside a comment, the footer would not be seen, so comments do not count as placing it.
 * A browser runs an unterminated `<!--` to the end of the document, so it is taken as one too.
 */
const withoutComments = (s: string): string => s.replace(/<!--[\s\S]*?(?:-->|$)/g, '').replace(/\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}/g, '');

/** Whether HTML ends inside a comment: what is appended must close it first to be seen. */
const endsInComment = (html: string): boolean => html.replace(/<!--[\s\S]*?-->/g, '').includes('<!--');

/** Content's text and HTML with `{{footer}}` placed: where the sender put it, else appended. */
export function placeFooter(content: { text: string; html: string }): { text: string; html: string } {
  const text = FOOTER.test(withoutComments(content.text)) ? content.text : `${content.text.replace(/\s+$/, '')}\n\n{{footer}}\n`;
  let html = content.html;
  if (!FOOTER.test(withoutComments(html))) {
    // After an unterminated comment, even `</body>` is hidden: close the comment, then the footer at the end.
    if (endsInComment(html)) return { text, html: `${html} -->\n{{footer}}` };
    const end = html.toLowerCase().lastIndexOf('</body>');
    html = end === -1 ? `${html}\n{{footer}}` : `${html.slice(0, end)}{{footer}}\n${html.slice(end)}`;
  }
  return { text, html };
}

/** What an SES template used for marketing lacks of the footer (empty when it places both). */
export function templateFooterProblems(t: { text?: string | undefined; html?: string | undefined }): FieldIssue[] {
  const problems: FieldIssue[] = [];
  if (!FOOTER_IN_TEMPLATE_TEXT.test(withoutComments(t.text ?? ''))) {
    problems.push({ path: 'template.name', message: "the template's text part must contain {{footer}} (the marketing footer)" });
  }
  if (t.html !== undefined && t.html.trim() !== '' && !FOOTER_HTML_IN_TEMPLATE.test(withoutComments(t.html))) {
    problems.push({ path: 'template.name', message: "the template's HTML part must contain {{{footerHtml}}} (the marketing footer, not escaped)" });
  }
  return problems;
}

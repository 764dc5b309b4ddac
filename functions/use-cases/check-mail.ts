import { type FieldIssue, ValidationError } from '../core/errors';
import { unsafeForHeader } from '../core/mail-header';
import { own } from '../core/own';
import type { SendCategory } from '../core/recipient-filter';
import type { Deps } from '../deps';
import { readTemplate } from '../mail/bulk';
import { templateFooterProblems } from '../mail/footer';
import { placeholdersIn } from '../mail/render';
import type { MailContent } from '../store/campaigns';

export interface MailToCheck {
  category: SendCategory;
  recipients: readonly { data?: Record<string, string> | undefined }[];
}

const MAX_ISSUES = 10;

/**
 * Refuses, before anything is stored or sent, mail that could not go out as it should: a control
 * character or line break in a header-bound field (header injection), a placeholder of content that
 * some recipient has no value for, an SES template that does not exist, or one used for marketing
 * that does not place the marketing footer.
 */
export async function checkMail(deps: Pick<Deps, 'ses'>, mail: MailContent, send: MailToCheck): Promise<void> {
  if ('content' in mail) {
    if (unsafeForHeader(mail.content.subject)) {
      throw new ValidationError('The subject holds a control character or a line break.', [
        { path: 'content.subject', message: 'must not contain control characters (CR, LF, tab, NUL, U+0085…) or line separators' },
      ]);
    }
    const missing = missingValues(mail.content, send);
    if (missing.length) throw new ValidationError('The content names a value that a recipient does not have.', missing);
    return;
  }
  const name = mail.template.name;
  const template = unsafeForHeader(name) ? undefined : await readTemplate(deps.ses, name);
  if (!template) {
    throw new ValidationError('Unknown template.', [{ path: 'template.name', message: `no SES template named "${name.replace(/[^\x20-\x7e]/g, '?')}"` }]);
  }
  if (send.category === 'marketing') {
    const problems = templateFooterProblems(template);
    if (problems.length) throw new ValidationError('The template does not place the marketing footer.', problems);
  }
}

/**
 * Each placeholder of the content that the backend does not fill must be in every recipient's data
 * (looked up as own keys only, so `{{constructor}}` is missing like any other name). The footer
 * goes into the text and the HTML, never the subject, and only of marketing mail.
 */
function missingValues(content: { subject: string; text: string; html?: string | undefined }, send: MailToCheck): FieldIssue[] {
  const marketing = send.category === 'marketing';
  const made = new Set(['brandName', ...(marketing ? ['unsubscribeUrl'] : [])]);
  const inBody = new Set([...made, ...(marketing ? ['footer'] : [])]);
  const issues: FieldIssue[] = [];
  for (const [part, text, filled] of [
    ['subject', content.subject, made],
    ['text', content.text, inBody],
    ['html', content.html ?? '', inBody],
  ] as const) {
    for (const name of placeholdersIn(text)) {
      if (filled.has(name) || issues.length >= MAX_ISSUES) continue;
      const i = send.recipients.findIndex((r) => own(r.data, name) === undefined);
      if (i === -1) continue;
      const why = name === 'footer' ? 'the footer is only in the text and HTML of marketing mail' : `recipients[${i}].data has none`;
      issues.push({ path: `content.${part}`, message: `no value for {{${name}}}: ${why}` });
    }
  }
  return issues;
}

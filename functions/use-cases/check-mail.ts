import { ValidationError } from '../core/errors';
import { unsafeForHeader } from '../core/mail-header';
import type { Deps } from '../deps';
import { templateExists } from '../mail/bulk';
import type { MailContent } from '../store/campaigns';

/**
 * Refuses, before anything is stored or sent, mail that could not go out: a control character or
 * line break in a header-bound field (header injection), or an SES template that does not exist.
 */
export async function checkMail(deps: Pick<Deps, 'ses'>, mail: MailContent): Promise<void> {
  if ('content' in mail) {
    if (unsafeForHeader(mail.content.subject)) {
      throw new ValidationError('The subject holds a control character or a line break.', [
        { path: 'content.subject', message: 'must not contain control characters (CR, LF, tab, NUL, U+0085…) or line separators' },
      ]);
    }
    return;
  }
  if (unsafeForHeader(mail.template.name) || !(await templateExists(deps.ses, mail.template.name))) {
    throw new ValidationError('Unknown template.', [
      { path: 'template.name', message: `no SES template named "${mail.template.name.replace(/[^\x20-\x7e]/g, '?')}"` },
    ]);
  }
}

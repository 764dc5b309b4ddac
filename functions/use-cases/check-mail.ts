import { ValidationError } from '../core/errors';
import type { Deps } from '../deps';
import { templateExists } from '../mail/bulk';
import type { MailContent } from '../store/campaigns';

const LINE_BREAK = /[\r\n\u2028\u2029]/;

/**
 * Refuses, before anything is stored or sent, mail that could not go out: a line break in a
 * header-bound field (header injection), or an SES template that does not exist.
 */
export async function checkMail(deps: Pick<Deps, 'ses'>, mail: MailContent): Promise<void> {
  if ('content' in mail) {
    if (LINE_BREAK.test(mail.content.subject)) {
      throw new ValidationError('A header field contains a line break.', [{ path: 'content.subject', message: 'must not contain CR or LF' }]);
    }
    return;
  }
  if (LINE_BREAK.test(mail.template.name) || !(await templateExists(deps.ses, mail.template.name))) {
    throw new ValidationError('Unknown template.', [
      { path: 'template.name', message: `no SES template named "${mail.template.name.replace(/[^\x20-\x7e]/g, '?')}"` },
    ]);
  }
}

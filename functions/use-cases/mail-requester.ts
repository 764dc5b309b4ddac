import type { Brand } from '../core/brands';
import type { Inquiry } from '../core/inquiry';
import { textsOf } from '../core/texts';
import type { Deps } from '../deps';
import type { LocalizedTemplate } from '../mail/render';
import { type OwnMailResult, sendOwnMail } from './send-own-mail';

/**
 * Mail to the requester of an inquiry, in the inquiry's brand and locale, with the values every
 * inquiry template may use (name, typeLabel, reference, statusUrl) filled in.
 */
export async function mailRequester(
  deps: Pick<Deps, 'db' | 'mailer' | 'config' | 'tokens'>,
  inq: Inquiry,
  template: LocalizedTemplate,
  kind: string,
  values: Record<string, string> = {},
  to: string = inq.email,
): Promise<OwnMailResult> {
  const brand = deps.config.brands.get(inq.brand) as Brand;
  return sendOwnMail(deps, {
    brand,
    locale: inq.locale,
    to,
    emailId: inq.emailId,
    template,
    kind,
    values: {
      name: inq.name || textsOf(inq.locale).inquiries.unnamed,
      typeLabel: textsOf(inq.locale).inquiries.types[inq.type],
      reference: inq.reference,
      statusUrl: statusUrlOf(deps, inq.reference),
      ...values,
    },
  });
}

export const statusUrlOf = (deps: Pick<Deps, 'config' | 'tokens'>, reference: string) =>
  `${deps.config.publicBaseUrl}/inquiries/status/${deps.tokens.sign('status', { r: reference })}`;

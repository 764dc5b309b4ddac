import type { Locale } from '../core/brands';
import { normalizeEmail } from '../core/email';
import { ValidationError } from '../core/errors';
import { type InquiryType, MESSAGE_MAX, NAME_MAX, newInquiry, referenceFrom } from '../core/inquiry';
import type { Deps } from '../deps';
import { inquiryVerify } from '../mail/templates/inquiry-verify';
import { createInquiry } from '../store/inquiries';
import { limitIntakeClient, mailboxMayBeMailed } from './intake-limits';
import { mailRequester } from './mail-requester';

export interface SubmitInquiryInput {
  brand: string;
  type: InquiryType;
  email: string;
  name?: string;
  message: string;
  locale?: Locale;
  /** The honeypot: people leave it empty, bots fill it in. */
  website?: string;
  /** The peer address the platform saw (never X-Forwarded-For). */
  ip?: string;
}

/**
 * Intake from the contact form.
 * 1. A filled honeypot gets the same answer, with nothing stored or sent.
 * 2. Validate brand, address, lengths (the route's schema did the shapes).
 * 3. Count against the client's limit (429 past it: intake-limits.ts).
 * 4. Store the unverified inquiry (expires in 7 days unless verified).
 * 5. Mail the verification link, unless the mailbox had its share this hour: then the inquiry
 *    waits for any verification link of the address (each verifies all its pending inquiries).
 * The answer is the same whether or not the address is known, and whether or not mail went out.
 */
export async function submitInquiry(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emailIdOf' | 'logger' | 'mailer' | 'random' | 'tokens'>,
  input: SubmitInquiryInput,
): Promise<{ reference: string }> {
  const reference = referenceFrom(Buffer.from(deps.random.id(), 'base64url'));
  if (input.website && input.website.trim() !== '') return { reference };

  const brand = deps.config.brands.get(input.brand);
  const normalized = normalizeEmail(input.email);
  const name = input.name?.trim() || undefined;
  const message = input.message.trim();
  const issues = [
    ...(brand ? [] : [{ path: 'brand', message: deps.config.brands.unknownMessage }]),
    ...(normalized.ok ? [] : [{ path: 'email', message: `not a valid address (${normalized.problem})` }]),
    ...(message.length === 0 ? [{ path: 'message', message: 'required' }] : []),
    ...(message.length > MESSAGE_MAX ? [{ path: 'message', message: `at most ${MESSAGE_MAX} characters` }] : []),
    ...(name && name.length > NAME_MAX ? [{ path: 'name', message: `at most ${NAME_MAX} characters` }] : []),
    ...(brand && input.locale && !brand.locales.includes(input.locale) ? [{ path: 'locale', message: 'not a locale of this brand' }] : []),
  ];
  if (!brand || !normalized.ok || issues.length) throw new ValidationError('Some fields are missing or not valid.', issues);

  const emailId = deps.emailIdOf(normalized.email);
  const now = deps.clock.now();
  await limitIntakeClient(deps, 'inq', input.ip);

  const change = newInquiry(
    {
      reference,
      brand: brand.id,
      type: input.type,
      emailId,
      email: normalized.email,
      ...(name ? { name } : {}),
      message,
      locale: input.locale ?? brand.defaultLocale,
    },
    now,
  );
  await createInquiry(deps.db, change, deps.config.inquiryRetentionYears);
  const mailed = await mailboxMayBeMailed(deps, 'inq', normalized.email);
  if (mailed) await mailRequester(deps, change.next, inquiryVerify, 'inquiry-verify', { verifyUrl: verifyUrlOf(deps, reference) });
  deps.logger.info('inquiry submitted', { reference, type: input.type, brand: brand.id, mailed });
  return { reference };
}

/** The verification link; it works as long as the unverified inquiry lives (7 days). */
export const verifyUrlOf = (deps: Pick<Deps, 'config' | 'tokens'>, reference: string, ttlSeconds?: number) =>
  `${deps.config.publicBaseUrl}/inquiries/verify/${deps.tokens.sign('verify', { r: reference }, ttlSeconds)}`;

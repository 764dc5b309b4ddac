import { createHmac } from 'node:crypto';
import type { NormalizedEmail } from './email';

export type EmailId = string & { readonly __brand: 'EmailId' };

/**
 * The key everything about a person is stored under: HMAC-SHA256(pepper, normalized address).
 * The address in clear lives only on the profile item, so erasure can remove it while this id
 * (a tombstone) keeps the person suppressed. The pepper never rotates: a new pepper would
 * orphan every tombstone.
 */
export function emailIdOf(pepper: Uint8Array, email: NormalizedEmail): EmailId {
  return createHmac('sha256', pepper).update(email, 'utf8').digest('base64url') as EmailId;
}

const EMAIL_ID = /^[A-Za-z0-9_-]{43}$/;
export const isEmailId = (s: string): s is EmailId => EMAIL_ID.test(s);

/**
 * The key of an input that is not an address (a campaign counts each such input once, however
 * often it is sent): HMAC-SHA256(pepper, a label + the trimmed, lowercased input), so the input
 * itself is never stored. The NUL in the label keeps it apart from every `emailIdOf`, since a
 * normalized address never holds a control character.
 */
export function invalidInputIdOf(pepper: Uint8Array, input: string): string {
  return createHmac('sha256', pepper).update(`invalid-address\u0000${input.trim().toLowerCase()}`, 'utf8').digest('base64url');
}

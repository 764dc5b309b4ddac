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

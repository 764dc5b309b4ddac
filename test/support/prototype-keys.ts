import { createHmac } from 'node:crypto';
import { TEST_KEYS } from './stack';

/** Keys every plain object inherits; a lookup by caller-supplied key must treat them as unknown. */
export const PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__'] as const;

/** A token whose payload names key id `k`, signed with a real test key (so only the key id is odd). */
export function tokenWithKeyId(k: string, purpose: string): string {
  const body = Buffer.from(JSON.stringify({ p: purpose, k, i: 1_790_000_000, b: 'livlog', e: 'x', t: 'newsletter' })).toString('base64url');
  const sig = createHmac('sha256', Buffer.from(TEST_KEYS.t1, 'base64')).update(body, 'ascii').digest('base64url');
  return `${body}.${sig}`;
}

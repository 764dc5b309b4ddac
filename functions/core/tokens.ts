import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from './clock';
import { InvalidTokenError } from './errors';

/**
 * Signed, URL-safe tokens: `base64url(payload).base64url(HMAC-SHA256(key, payload))`.
 *
 * The payload names a purpose so that one kind of token can never be used as another, a key id so
 * that keys can rotate (one signs, several verify), and an expiry where the kind has one. The
 * address is never in a token, only its keyed hash.
 */
export type TokenPurpose = 'unsubscribe' | 'confirm' | 'verify' | 'status' | 'export';

/** Claims a token may carry. Short names keep links short. */
export interface TokenClaims {
  /** brand id */
  b?: string;
  /** emailId */
  e?: string;
  /** topic, or a list of topics */
  t?: string | string[];
  /** an inquiry reference or another record id */
  r?: string;
  /** locale */
  l?: string;
}

export interface TokenPayload extends TokenClaims {
  /** purpose */
  p: TokenPurpose;
  /** key id */
  k: string;
  /** issued at, epoch seconds */
  i: number;
  /** expires at, epoch seconds; absent for kinds that never expire */
  x?: number;
}

export interface TokenKeyring {
  signingKeyId: string;
  keys: Record<string, Uint8Array>;
}

export interface TokenService {
  sign(purpose: TokenPurpose, claims: TokenClaims, ttlSeconds?: number): string;
  /**
   * Throws InvalidTokenError; never returns a payload it has not authenticated. `allowExpired`
   * returns an authentic but expired payload instead of throwing (check it with `isExpired`), so
   * that a page can offer a new link for what the old one named.
   */
  verify(token: string, purpose: TokenPurpose, opts?: { allowExpired?: boolean }): TokenPayload;
}

/** Default lifetimes (seconds); unsubscribe links must keep working, so they have none. */
export const TOKEN_TTL: Record<TokenPurpose, number | undefined> = {
  unsubscribe: undefined,
  confirm: 7 * 24 * 3600,
  verify: 7 * 24 * 3600,
  status: 3 * 365 * 24 * 3600,
  export: 7 * 24 * 3600,
};

const MAX_TOKEN_LENGTH = 1024;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{43}$/;
const PURPOSES = new Set<string>(['unsubscribe', 'confirm', 'verify', 'status', 'export']);

export function createTokenService(keyring: TokenKeyring, clock: Clock): TokenService {
  // A Map, since the key id to verify with comes from the (not yet authenticated) payload.
  const keys = new Map(Object.entries(keyring.keys));
  const signingKey = keys.get(keyring.signingKeyId);
  if (!signingKey) throw new Error(`token signing key "${keyring.signingKeyId}" is not in the keyring`);
  const mac = (key: Uint8Array, data: string) => createHmac('sha256', key).update(data, 'ascii').digest();

  return {
    sign(purpose, claims, ttlSeconds = TOKEN_TTL[purpose]) {
      const now = Math.floor(clock.now().getTime() / 1000);
      const payload: TokenPayload = { p: purpose, k: keyring.signingKeyId, i: now, ...claims };
      if (ttlSeconds !== undefined) payload.x = now + ttlSeconds;
      const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
      return `${body}.${mac(signingKey, body).toString('base64url')}`;
    },

    verify(token, purpose, opts = {}) {
      if (token.length > MAX_TOKEN_LENGTH || !TOKEN_SHAPE.test(token)) throw new InvalidTokenError('malformed');
      const [body = '', sig = ''] = token.split('.');
      const payload = decodePayload(body);
      const key = keys.get(payload.k);
      if (!key) throw new InvalidTokenError('unknown-key');
      const expected = mac(key, body);
      const given = Buffer.from(sig, 'base64url');
      // base64url decoding is lenient about the last character's spare bits; compare the
      // canonical re-encoding too so that no two strings verify as the same token.
      if (given.length !== expected.length || !timingSafeEqual(given, expected) || given.toString('base64url') !== sig) {
        throw new InvalidTokenError('bad-signature');
      }
      if (payload.p !== purpose) throw new InvalidTokenError('wrong-purpose');
      if (!opts.allowExpired && isExpired(payload, clock.now())) throw new InvalidTokenError('expired');
      return payload;
    },
  };
}

/** Whether an (authenticated) payload's expiry has passed. */
export const isExpired = (payload: Pick<TokenPayload, 'x'>, now: Date): boolean => payload.x !== undefined && payload.x * 1000 <= now.getTime();

function decodePayload(body: string): TokenPayload {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new InvalidTokenError('malformed', { cause });
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof (parsed as TokenPayload).p !== 'string' ||
    !PURPOSES.has((parsed as TokenPayload).p) ||
    typeof (parsed as TokenPayload).k !== 'string' ||
    typeof (parsed as TokenPayload).i !== 'number' ||
    ((parsed as TokenPayload).x !== undefined && typeof (parsed as TokenPayload).x !== 'number')
  ) {
    throw new InvalidTokenError('malformed');
  }
  return parsed as TokenPayload;
}

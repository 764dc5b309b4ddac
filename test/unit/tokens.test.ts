import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../functions/core/clock';
import { InvalidTokenError, type TokenProblem } from '../../functions/core/errors';
import { createTokenService } from '../../functions/core/tokens';

const k1 = Buffer.alloc(32, 1);
const k2 = Buffer.alloc(32, 2);
const clock = fixedClock('2026-11-29T00:00:00Z');
const tokens = createTokenService({ signingKeyId: 'k1', keys: { k1 } }, clock);

const problemOf = (fn: () => unknown): TokenProblem | 'none' => {
  try {
    fn();
    return 'none';
  } catch (err) {
    if (err instanceof InvalidTokenError) return err.problem;
    throw err;
  }
};

describe('signed tokens', () => {
  it('round-trips claims and is URL-safe without the address', () => {
    const t = tokens.sign('unsubscribe', { b: 'livlog', e: 'abc', t: 'newsletter' });
    expect(t).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(tokens.verify(t, 'unsubscribe')).toMatchObject({ p: 'unsubscribe', k: 'k1', b: 'livlog', e: 'abc', t: 'newsletter' });
    expect(Buffer.from(t.split('.')[0] ?? '', 'base64url').toString()).not.toContain('@');
  });

  it('detects tampering with any single character', () => {
    const t = tokens.sign('unsubscribe', { b: 'livlog', e: 'abc', t: 'newsletter' });
    for (let i = 0; i < t.length; i++) {
      if (t[i] === '.') continue;
      const swapped = t.slice(0, i) + (t[i] === 'A' ? 'B' : 'A') + t.slice(i + 1);
      expect(
        problemOf(() => tokens.verify(swapped, 'unsubscribe')),
        `position ${i}`,
      ).not.toBe('none');
    }
  });

  it('refuses a token re-signed with another key under the same key id', () => {
    const forger = createTokenService({ signingKeyId: 'k1', keys: { k1: k2 } }, clock);
    expect(problemOf(() => tokens.verify(forger.sign('unsubscribe', { e: 'x' }), 'unsubscribe'))).toBe('bad-signature');
  });

  it('never accepts one purpose as another', () => {
    const confirm = tokens.sign('confirm', { e: 'x' });
    expect(problemOf(() => tokens.verify(confirm, 'unsubscribe'))).toBe('wrong-purpose');
    expect(problemOf(() => tokens.verify(confirm, 'confirm'))).toBe('none');
  });

  it('expires the kinds that have a lifetime, and not unsubscribe links', () => {
    const c = fixedClock('2026-01-01T00:00:00Z');
    const svc = createTokenService({ signingKeyId: 'k1', keys: { k1 } }, c);
    const confirm = svc.sign('confirm', { e: 'x' });
    const unsub = svc.sign('unsubscribe', { e: 'x' });
    c.advance(7 * 24 * 3600 * 1000 - 1000);
    expect(problemOf(() => svc.verify(confirm, 'confirm'))).toBe('none');
    c.advance(1000);
    expect(problemOf(() => svc.verify(confirm, 'confirm'))).toBe('expired');
    c.advance(10 * 365 * 24 * 3600 * 1000);
    expect(problemOf(() => svc.verify(unsub, 'unsubscribe'))).toBe('none');
  });

  it('rotates keys: old tokens verify while their key is kept, new ones are signed with the new key', () => {
    const old = tokens.sign('unsubscribe', { e: 'x' });
    const rotated = createTokenService({ signingKeyId: 'k2', keys: { k1, k2 } }, clock);
    expect(rotated.verify(old, 'unsubscribe').k).toBe('k1');
    expect(rotated.verify(rotated.sign('unsubscribe', { e: 'x' }), 'unsubscribe').k).toBe('k2');
    const retired = createTokenService({ signingKeyId: 'k2', keys: { k2 } }, clock);
    expect(problemOf(() => retired.verify(old, 'unsubscribe'))).toBe('unknown-key');
  });

  it('calls malformed input malformed, not a bad signature', () => {
    for (const bad of ['', 'abc', 'a.b', '..', `${'a'.repeat(2000)}.${'b'.repeat(43)}`, `e30.${'A'.repeat(43)}`, `!!!.${'A'.repeat(43)}`]) {
      expect(
        problemOf(() => tokens.verify(bad, 'unsubscribe')),
        bad.slice(0, 20),
      ).toBe('malformed');
    }
  });

  it('refuses a non-canonical signature encoding', () => {
    const t = tokens.sign('unsubscribe', { e: 'x' });
    const last = t.at(-1) as string;
    // The last base64url character of a 32-byte value carries 2 spare bits; flipping one still
    // decodes to the same bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = alphabet[alphabet.indexOf(last) ^ 1] as string;
    expect(problemOf(() => tokens.verify(t.slice(0, -1) + twin, 'unsubscribe'))).toBe('bad-signature');
  });
});

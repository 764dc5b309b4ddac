import { describe, expect, it } from 'vitest';
import { mailboxOf, maskEmail, normalizeEmail } from '../../functions/core/email';
import { emailIdOf, isEmailId } from '../../functions/core/email-id';

const ok = (input: string) => {
  const r = normalizeEmail(input);
  if (!r.ok) throw new Error(`expected ${input} to be valid, got ${r.problem}`);
  return r.email;
};
const problem = (input: string) => {
  const r = normalizeEmail(input);
  return r.ok ? 'valid' : r.problem;
};

describe('normalizeEmail', () => {
  it('trims and lowercases', () => {
    expect(ok('  Taro.Yamada@Example.COM ')).toBe('taro.yamada@example.com');
  });

  it('converts an internationalized domain to ASCII (punycode)', () => {
    expect(ok('info@日本語.jp')).toBe('info@xn--wgv71a119e.jp');
    expect(ok('user@BÜCHER.de')).toBe('user@xn--bcher-kva.de');
  });

  it('keeps plus addressing and the atext characters', () => {
    expect(ok("o'neil+news@example.co.jp")).toBe("o'neil+news@example.co.jp");
  });

  it('refuses control characters, CR and LF anywhere (header injection)', () => {
    expect(problem('a@example.com\r\nBcc: victim@example.com')).toBe('control-characters');
    expect(problem('a\n@example.com')).toBe('control-characters');
    expect(problem('a@exa\u0000mple.com')).toBe('control-characters');
    expect(problem('a@example.com\u2028')).toBe('control-characters');
  });

  it('enforces RFC 5321 lengths', () => {
    expect(ok(`${'a'.repeat(64)}@example.com`)).toHaveLength(76);
    expect(problem(`${'a'.repeat(65)}@example.com`)).toBe('local-part-too-long');
    const label = 'b'.repeat(63);
    expect(problem(`${'a'.repeat(60)}@${label}.${label}.${label}.com`)).toBe('too-long');
    expect(problem(`a@${'c'.repeat(64)}.com`)).toBe('invalid-domain');
  });

  it('refuses what is not an address', () => {
    expect(problem('')).toBe('empty');
    expect(problem('   ')).toBe('empty');
    expect(problem('no-at-sign.example.com')).toBe('no-at-sign');
    expect(problem('@example.com')).toBe('invalid-local-part');
    expect(problem('a..b@example.com')).toBe('invalid-local-part');
    expect(problem('.a@example.com')).toBe('invalid-local-part');
    expect(problem('"quoted"@example.com')).toBe('invalid-local-part');
    expect(problem('a b@example.com')).toBe('invalid-local-part');
    expect(problem('a@localhost')).toBe('invalid-domain');
    expect(problem('a@-bad.com')).toBe('invalid-domain');
    expect(problem('a@1.2.3.4')).toBe('invalid-domain');
    expect(problem('a@example..com')).toBe('invalid-domain');
    expect(problem('<a@example.com>')).toBe('invalid-local-part');
  });
});

describe('maskEmail', () => {
  it('shows the first character and the domain only', () => {
    expect(maskEmail('taro@example.com')).toBe('t***@example.com');
    expect(maskEmail('x@example.com')).toBe('x***@example.com');
  });
});

describe('emailIdOf', () => {
  const pepper = Buffer.alloc(32, 1);
  it('is a keyed hash: stable per address, different per pepper, never the address', () => {
    const a = emailIdOf(pepper, ok('taro@example.com'));
    expect(emailIdOf(pepper, ok(' TARO@example.com'))).toBe(a);
    expect(emailIdOf(Buffer.alloc(32, 2), ok('taro@example.com'))).not.toBe(a);
    expect(emailIdOf(pepper, ok('jiro@example.com'))).not.toBe(a);
    expect(a).not.toContain('taro');
    expect(isEmailId(a)).toBe(true);
    expect(isEmailId('taro@example.com')).toBe(false);
  });
});

describe('mailboxOf (for counting mail per mailbox only)', () => {
  it('folds a plus-tag onto the mailbox it reaches, and leaves everything else as it is', () => {
    expect(mailboxOf(ok('taro+news@example.com'))).toBe('taro@example.com');
    expect(mailboxOf(ok('Taro+a+b@Example.com'))).toBe('taro@example.com');
    expect(mailboxOf(ok('taro@example.com'))).toBe('taro@example.com');
    expect(mailboxOf(ok('taro.yamada@example.com'))).toBe('taro.yamada@example.com');
    // No base to fold to: the address is its own mailbox.
    expect(mailboxOf(ok('+tag@example.com'))).toBe('+tag@example.com');
  });
});

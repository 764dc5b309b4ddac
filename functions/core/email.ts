import { domainToASCII } from 'node:url';
import { unsafeForHeader } from './mail-header';

/**
 * Address normalization and validation. Every address is normalized once, at the edge, and
 * everything after works on the normalized form (and its keyed hash, see `email-id.ts`).
 */

export type EmailProblem = 'empty' | 'control-characters' | 'no-at-sign' | 'too-long' | 'local-part-too-long' | 'invalid-local-part' | 'invalid-domain';

export type NormalizedEmail = string & { readonly __brand: 'NormalizedEmail' };

export type EmailResult = { ok: true; email: NormalizedEmail } | { ok: false; problem: EmailProblem };

// RFC 5321 4.5.3.1: 64 octets local part, 255 domain, and a path of 256 including the angle
// brackets, which leaves 254 for the address itself.
const MAX_LOCAL = 64;
const MAX_ADDRESS = 254;
const MAX_DOMAIN = 253;
const MAX_LABEL = 63;

// RFC 5322 atext, dot-atom form. Quoted local parts are legal but never seen from real sign-ups,
// and they are a classic vector for header and parser confusion, so they are refused.
const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function normalizeEmail(input: string): EmailResult {
  if (unsafeForHeader(input)) return { ok: false, problem: 'control-characters' };
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, problem: 'empty' };
  if (/\s/.test(trimmed)) return { ok: false, problem: 'invalid-local-part' };
  const at = trimmed.lastIndexOf('@');
  if (at < 0) return { ok: false, problem: 'no-at-sign' };
  const local = trimmed.slice(0, at).toLowerCase();
  const rawDomain = trimmed
    .slice(at + 1)
    .toLowerCase()
    .replace(/\.$/, '');
  if (local.length === 0 || local.length > MAX_LOCAL) {
    return { ok: false, problem: local.length === 0 ? 'invalid-local-part' : 'local-part-too-long' };
  }
  if (!local.split('.').every((part) => ATEXT.test(part))) return { ok: false, problem: 'invalid-local-part' };
  const domain = toAsciiDomain(rawDomain);
  if (domain === undefined) return { ok: false, problem: 'invalid-domain' };
  const email = `${local}@${domain}`;
  if (email.length > MAX_ADDRESS) return { ok: false, problem: 'too-long' };
  return { ok: true, email: email as NormalizedEmail };
}

function toAsciiDomain(domain: string): string | undefined {
  if (domain === '' || domain.length > MAX_DOMAIN * 4) return undefined;
  // domainToASCII applies UTS #46 (IDNA) processing and answers '' for what it cannot convert.
  const ascii = /^[\x21-\x7e]+$/.test(domain) ? domain : domainToASCII(domain);
  if (ascii === '' || ascii.length > MAX_DOMAIN) return undefined;
  const labels = ascii.split('.');
  if (labels.length < 2) return undefined;
  if (!labels.every((l) => l.length <= MAX_LABEL && LABEL.test(l))) return undefined;
  // A top-level label of digits only would make this an IP address in disguise.
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) return undefined;
  return ascii;
}

/**
 * The mailbox an address reaches, for counting mail only: `taro+news@example.com` and
 * `taro@example.com` land in one inbox at most providers, so limits per mailbox count them as one.
 * Never stored, never used to look a person up: the address as typed is the person's.
 */
export function mailboxOf(email: NormalizedEmail): NormalizedEmail {
  const at = email.lastIndexOf('@');
  const plus = email.indexOf('+');
  // A local part that starts with `+` has no base to fold to.
  return plus > 0 && plus < at ? (`${email.slice(0, plus)}${email.slice(at)}` as NormalizedEmail) : email;
}

/** `taro@example.com` → `t***@example.com`, the only form of an address a page or API shows. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

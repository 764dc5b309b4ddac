import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config';
import { type ChangeContext, confirmTopics, requestTopics, unsubscribeTopics } from '../../functions/core/consent';
import {
  buildProof,
  type ConsentProof,
  lastMarketingSend,
  openProof,
  type ProofKeyring,
  proofDeleteAfter,
  proofMatchesLedger,
  sealProof,
} from '../../functions/core/consent-proof';
import type { EmailId } from '../../functions/core/email-id';
import { appendEvents, redactEvent } from '../../functions/core/ledger';
import { GENESIS_HASH, newSubscriber } from '../../functions/core/subscriber';
import { createConsentProofSealer, createDeps } from '../../functions/deps';
import { consentProofSecretToEnv, secretToEnv } from '../../functions/handlers/bootstrap';

const keyring: ProofKeyring = { sealingKeyId: 'p2', keys: { p2: Buffer.alloc(32, 1), p1: Buffer.alloc(32, 2) } };
const emailId = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' as EmailId;
const otherId = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' as EmailId;
const iv = (n: number) => Buffer.alloc(12, n);

/** A ledger: a request and its confirmation (with the wording, IP and policy version), then an unsubscribe. */
function history() {
  const s0 = newSubscriber(emailId, new Date('2026-01-01T00:00:00.000Z'), 'taro@example.com');
  const ctx = (at: string, source: ChangeContext['source']): ChangeContext => ({
    at: new Date(at),
    source,
    wording: 'Send me LivLog news',
    policyVersion: '2026-04-01',
    ip: '203.0.113.9',
    userAgent: 'Mozilla/5.0',
  });
  const a = requestTopics(s0, 'livlog', ['newsletter'], ctx('2026-01-02T10:00:00.000Z', 'subscription-request'));
  const b = a && confirmTopics(a.next, 'livlog', ['newsletter'], ctx('2026-01-02T10:05:00.000Z', 'confirmation'));
  const c = b && unsubscribeTopics(b.next, 'livlog', ['newsletter'], ctx('2026-03-01T00:00:00.000Z', 'one-click'));
  if (!a || !b || !c) throw new Error('seed');
  return appendEvents({ seq: 0, hash: GENESIS_HASH }, [...a.events, ...b.events, ...c.events]);
}

const proofOf = (sends: Record<string, unknown>[] = []) =>
  buildProof({ email: 'taro@example.com', ledger: history().events, sends, erasedAt: new Date('2026-05-10T03:00:00.000Z') }) as ConsentProof;

describe('the proof of consent an erasure keeps', () => {
  it('holds the address and each request and grant of consent as recorded (time, source, wording, policy version), not the withdrawal', () => {
    const proof = proofOf();
    expect(proof.email).toBe('taro@example.com');
    expect(proof.consents.map((c) => [c.type, c.at, c.source])).toEqual([
      ['subscription-requested', '2026-01-02T10:00:00.000Z', 'subscription-request'],
      ['consent-given', '2026-01-02T10:05:00.000Z', 'confirmation'],
    ]);
    for (const c of proof.consents) expect(c).toMatchObject({ wording: 'Send me LivLog news', policyVersion: '2026-04-01', ip: '203.0.113.9' });
  });

  it('is nothing for a person who never asked for or gave marketing consent', () => {
    expect(buildProof({ email: 'x@example.com', ledger: [], sends: [], erasedAt: new Date() })).toBeUndefined();
  });

  it('still matches the redacted ledger event by event, and not once an event is altered', () => {
    const { events } = history();
    const redacted = events.map(redactEvent);
    const proof = proofOf();
    expect(proofMatchesLedger(proof, redacted)).toBe(true);
    const [first, ...rest] = proof.consents;
    expect(proofMatchesLedger({ ...proof, consents: [{ ...(first as ConsentProof['consents'][number]), wording: 'Other words' }, ...rest] }, redacted)).toBe(
      false,
    );
  });
});

describe('when the proof is deleted: one calendar month after the later of the erasure and the last marketing mail', () => {
  it('after the erasure when the last marketing mail was before it', () => {
    expect(proofDeleteAfter(new Date('2026-05-10T03:00:00.000Z'), new Date('2026-04-20T08:00:00.000Z')).toISOString()).toBe('2026-06-10T03:00:00.000Z');
  });

  it('after the last marketing mail when it went after the erasure began', () => {
    expect(proofDeleteAfter(new Date('2026-05-10T03:00:00.000Z'), new Date('2026-05-12T08:00:00.000Z')).toISOString()).toBe('2026-06-12T08:00:00.000Z');
  });

  it('on the last day of a shorter month: Jan 31 gives Feb 28, or Feb 29 in a leap year', () => {
    expect(proofDeleteAfter(new Date('2027-01-31T12:00:00.000Z')).toISOString()).toBe('2027-02-28T12:00:00.000Z');
    expect(proofDeleteAfter(new Date('2028-01-31T12:00:00.000Z')).toISOString()).toBe('2028-02-29T12:00:00.000Z');
    expect(proofDeleteAfter(new Date('2026-12-01T00:00:00.000Z'), new Date('2027-01-31T23:00:00.000Z')).toISOString()).toBe('2027-02-28T23:00:00.000Z');
  });

  it('counts marketing sends (and records older than categories), never transactional ones', () => {
    const sends = [
      { at: '2026-04-01T00:00:00.000Z', category: 'marketing' },
      { at: '2026-04-03T00:00:00.000Z' },
      { at: '2026-04-09T00:00:00.000Z', category: 'transactional' },
    ];
    expect(lastMarketingSend(sends)).toBe('2026-04-03T00:00:00.000Z');
    const proof = buildProof({
      email: 'taro@example.com',
      ledger: history().events,
      sends: [{ at: '2026-05-20T00:00:00.000Z', category: 'marketing' }],
      erasedAt: new Date('2026-05-10T03:00:00.000Z'),
    });
    expect(proof).toMatchObject({ lastMarketingSendAt: '2026-05-20T00:00:00.000Z', deleteAfter: '2026-06-20T00:00:00.000Z' });
  });
});

describe('sealing', () => {
  it('opens to the proof it sealed, with the key id that sealed it', () => {
    const sealed = sealProof(keyring, proofOf(), emailId, iv(1));
    expect(sealed.keyId).toBe('p2');
    expect(openProof(keyring, sealed, emailId)).toEqual(proofOf());
  });

  it('holds nothing of the proof in clear', () => {
    const sealed = JSON.stringify(sealProof(keyring, proofOf(), emailId, iv(1)));
    for (const clear of ['taro@example.com', 'taro', 'Send me LivLog news', '203.0.113.9', 'consent-given']) expect(sealed).not.toContain(clear);
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    expect(sealed).not.toContain(b64('taro@example.com').slice(0, 12));
  });

  it('does not open for another address: the keyed hash of the address is the additional data', () => {
    const sealed = sealProof(keyring, proofOf(), emailId, iv(1));
    expect(() => openProof(keyring, sealed, otherId)).toThrow();
  });

  it('does not open once a byte of it changed', () => {
    const sealed = sealProof(keyring, proofOf(), emailId, iv(1));
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    bytes[5] = (bytes[5] ?? 0) ^ 1;
    expect(() => openProof(keyring, { ...sealed, ciphertext: bytes.toString('base64') }, emailId)).toThrow();
  });

  it('opens a proof sealed under an older key that is still held, and not once that key is gone', () => {
    const old = sealProof({ ...keyring, sealingKeyId: 'p1' }, proofOf(), emailId, iv(2));
    expect(openProof(keyring, old, emailId).email).toBe('taro@example.com');
    expect(() => openProof({ sealingKeyId: 'p2', keys: { p2: Buffer.alloc(32, 1) } }, old, emailId)).toThrow(/p1/);
  });

  it('takes a fresh IV for every proof (the same proof sealed twice differs)', () => {
    const sealer = createConsentProofSealer(keyring);
    const a = sealer.seal(proofOf(), emailId);
    const b = sealer.seal(proofOf(), emailId);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(sealer.open(b, emailId)).toEqual(proofOf());
  });
});

describe('who holds the key', () => {
  const key = Buffer.alloc(32, 5).toString('base64');
  const base = {
    TABLE_NAME: 'privacy',
    PUBLIC_BASE_URL: 'https://prefs.livlog.jp/',
    TOKEN_KEYS: JSON.stringify({ a: key }),
    TOKEN_SIGNING_KEY_ID: 'a',
    EMAIL_PEPPER: key,
  };

  it('the public function: its secret yields no proof key, so neither its config nor its dependencies hold one', () => {
    const env = { ...base, ...secretToEnv({ SEED: 'a-seed-of-the-shared-secret', TOKEN_SIGNING_KEY_ID: 'k1' }) };
    expect(Object.keys(env).filter((k) => k.startsWith('CONSENT_PROOF'))).toEqual([]);
    const config = loadConfig(env);
    expect(config.consentProofKey).toBeUndefined();
    expect(createDeps(config).consentProofs).toBeUndefined();
  });

  it('the privileged functions: their own secret gives the key (derived from its own seed, or as written)', () => {
    const derived = loadConfig({ ...base, ...consentProofSecretToEnv({ SEED: 'the-proof-secret-seed', CONSENT_PROOF_KEY_ID: 'p1' }) });
    expect(derived.consentProofKey?.sealingKeyId).toBe('p1');
    expect(derived.consentProofKey?.keys.p1).toHaveLength(32);
    expect(createDeps(derived).consentProofs).toBeDefined();
    // A secret with neither a seed nor keys gives no key, rather than one derived from nothing.
    expect(consentProofSecretToEnv({})).toEqual({});
  });

  it('takes key rings written as nested objects in the secret JSON, as docs/operations.md shows for a rotation', () => {
    const k2 = Buffer.alloc(32, 7).toString('base64');
    const shared = secretToEnv({ SEED: 'a-seed', EMAIL_PEPPER: key, TOKEN_KEYS: { k1: key, k2 }, TOKEN_SIGNING_KEY_ID: 'k1' });
    const proof = consentProofSecretToEnv({ SEED: 'a-proof-seed', CONSENT_PROOF_KEYS: { p1: key, p2: k2 }, CONSENT_PROOF_KEY_ID: 'p1' });
    const config = loadConfig({ ...base, ...shared, ...proof });
    expect(Object.keys(config.tokenKeys.keys).sort()).toEqual(['k1', 'k2']);
    expect(config.tokenKeys.signingKeyId).toBe('k1');
    expect(Object.keys(config.consentProofKey?.keys ?? {}).sort()).toEqual(['p1', 'p2']);
    expect(config.consentProofKey?.sealingKeyId).toBe('p1');
  });

  it('refuses a proof key that is not 32 bytes, or a key id it does not hold', () => {
    expect(() => loadConfig({ ...base, CONSENT_PROOF_KEYS: JSON.stringify({ p1: Buffer.alloc(48).toString('base64') }), CONSENT_PROOF_KEY_ID: 'p1' })).toThrow(
      /CONSENT_PROOF_KEYS/,
    );
    expect(() => loadConfig({ ...base, CONSENT_PROOF_KEYS: JSON.stringify({ p1: key }), CONSENT_PROOF_KEY_ID: 'p9' })).toThrow(/CONSENT_PROOF_KEY_ID/);
    expect(() => loadConfig({ ...base, CONSENT_PROOF_KEYS: JSON.stringify({ p1: key }) })).toThrow(/CONSENT_PROOF_KEY_ID/);
  });
});

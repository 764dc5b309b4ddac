import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { EmailId } from './email-id';
import { addCalendarMonths } from './inquiry';
import { hashContent, isRedacted, type LedgerEventContent, type RecordedLedgerEvent, type StoredLedgerEvent } from './ledger';

/**
 * The proof of a person's marketing consents that an erasure keeps (CONTRACT.md "Privacy
 * inquiries"): the Act on the Regulation of Transmission of Specified Electronic Mail, Art. 3(2)
 * and its ordinance Art. 4, asks the sender to keep the record of consent for one month after the
 * last marketing mail to the address, and GDPR Art. 17(3)(b) lets that obligation outlast an
 * erasure. Sealed with AES-256-GCM under a key only the privileged functions hold; the keyed hash
 * of the address is the additional data, so a proof copied onto another address does not open.
 * Pure: the IV comes in as an argument.
 */

/** One ledger event that asked for or gave consent, as recorded, with its place in the chain. */
export interface ProofConsent extends LedgerEventContent {
  seq: number;
  /** The event's content hash, which the redacted ledger keeps: the proof can be held against it. */
  contentHash: string;
}

export interface ConsentProof {
  email: string;
  consents: ProofConsent[];
  /** When the erasure began. */
  erasedAt: string;
  /** The latest marketing mail sent to the address before the erasure, when there was one. */
  lastMarketingSendAt?: string;
  /** One calendar month after the later of `erasedAt` and `lastMarketingSendAt`. */
  deleteAfter: string;
}

export interface SealedProof {
  keyId: string;
  /** base64 */
  iv: string;
  /** base64, the GCM authentication tag */
  tag: string;
  /** base64 */
  ciphertext: string;
}

export interface ProofKeyring {
  sealingKeyId: string;
  keys: Record<string, Uint8Array>;
}

export const PROOF_IV_BYTES = 12;

/** An event is a consent when it moves a topic towards being mailed: a request (pending) or a grant. */
const isConsent = (e: LedgerEventContent) => e.changes.some((c) => c.topic !== undefined && (c.to === 'subscribed' || c.to === 'pending'));

/** The consent events of a ledger, whole (so each still hashes to its `contentHash`). */
export function consentsOf(ledger: readonly RecordedLedgerEvent[]): ProofConsent[] {
  const out: ProofConsent[] = [];
  for (const e of ledger) {
    if (isRedacted(e) || 'unsealed' in e) continue;
    const { prevHash: _p, hash: _h, ...content } = e;
    if (isConsent(content)) out.push(content);
  }
  return out;
}

/**
 * The latest marketing send among the address's send records. A record without a category
 * predates categories and was a campaign mail: counting it keeps the proof longer, never shorter.
 */
export function lastMarketingSend(sends: readonly Record<string, unknown>[]): string | undefined {
  let last: string | undefined;
  for (const s of sends) {
    if (s.category !== undefined && s.category !== 'marketing') continue;
    if (typeof s.at === 'string' && (last === undefined || s.at > last)) last = s.at;
  }
  return last;
}

/** One calendar month (as an inquiry's due date) after the later of the erasure and the last marketing mail. */
export function proofDeleteAfter(erasedAt: Date, lastMarketingSendAt?: Date): Date {
  const later = lastMarketingSendAt && lastMarketingSendAt.getTime() > erasedAt.getTime() ? lastMarketingSendAt : erasedAt;
  return addCalendarMonths(later, 1);
}

/** The proof an erasure keeps, or `undefined` when the person never asked for or gave marketing consent. */
export function buildProof(input: {
  email: string;
  ledger: readonly RecordedLedgerEvent[];
  sends: readonly Record<string, unknown>[];
  erasedAt: Date;
}): ConsentProof | undefined {
  const consents = consentsOf(input.ledger);
  if (consents.length === 0) return undefined;
  const last = lastMarketingSend(input.sends);
  return {
    email: input.email,
    consents,
    erasedAt: input.erasedAt.toISOString(),
    ...(last ? { lastMarketingSendAt: last } : {}),
    deleteAfter: proofDeleteAfter(input.erasedAt, last ? new Date(last) : undefined).toISOString(),
  };
}

function keyOf(keyring: ProofKeyring, keyId: string): Uint8Array {
  if (!Object.hasOwn(keyring.keys, keyId)) throw new Error(`no consent proof key "${keyId}"`);
  return keyring.keys[keyId] as Uint8Array;
}

export function sealProof(keyring: ProofKeyring, proof: ConsentProof, emailId: EmailId, iv: Uint8Array): SealedProof {
  if (iv.length !== PROOF_IV_BYTES) throw new Error(`a proof needs a ${PROOF_IV_BYTES}-byte IV`);
  const cipher = createCipheriv('aes-256-gcm', keyOf(keyring, keyring.sealingKeyId), iv);
  cipher.setAAD(Buffer.from(emailId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(proof), 'utf8'), cipher.final()]);
  return {
    keyId: keyring.sealingKeyId,
    iv: Buffer.from(iv).toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

/** Throws when the key is gone, or the proof was altered or belongs to another address. */
export function openProof(keyring: ProofKeyring, sealed: SealedProof, emailId: EmailId): ConsentProof {
  const decipher = createDecipheriv('aes-256-gcm', keyOf(keyring, sealed.keyId), Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(emailId, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as ConsentProof;
}

/**
 * Whether every consent of the proof is the event the (redacted) ledger still holds at its place:
 * its content hashes to the chain's `contentHash`. Verify the ledger itself with `verifyLedger`.
 */
export function proofMatchesLedger(proof: ConsentProof, ledger: readonly StoredLedgerEvent[]): boolean {
  const bySeq = new Map(ledger.map((e) => [e.seq, e.contentHash]));
  return proof.consents.every(({ seq, contentHash, ...content }) => bySeq.get(seq) === contentHash && hashContent(content) === contentHash);
}

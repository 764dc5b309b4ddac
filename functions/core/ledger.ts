import { createHash } from 'node:crypto';
import { GENESIS_HASH, type LedgerHead } from './subscriber';

/**
 * The consent ledger: append-only events per address, chained by hash so that an edited,
 * reordered or removed event is detectable. Each event's hash covers its content and the hash
 * of the event before it.
 */
export type ConsentSource = 'one-click' | 'preference-page' | 'api' | 'confirmation' | 'subscription-request' | 'ses-feedback' | 'admin' | 'inquiry' | 'import';

export interface ConsentChange {
  brand?: string;
  topic?: string;
  from?: string;
  to: string;
}

export interface LedgerEventContent {
  /** What happened: `subscription-requested`, `consent-given`, `unsubscribed`, `suppressed`, … */
  type: string;
  at: string;
  source: ConsentSource;
  changes: ConsentChange[];
  /** The wording or policy version the person was shown. */
  wording?: string;
  policyVersion?: string;
  ip?: string;
  userAgent?: string;
  /** Who acted, when not the person (an officer, the feedback handler). */
  by?: string;
  reason?: string;
  ref?: string;
}

export interface LedgerEvent extends LedgerEventContent {
  seq: number;
  /** SHA-256 of the canonical content; kept when the content is redacted by an erasure. */
  contentHash: string;
  prevHash: string;
  hash: string;
}

/** What is left of an event after erasure: its place in the chain, none of its content. */
export interface RedactedLedgerEvent {
  seq: number;
  redacted: true;
  contentHash: string;
  prevHash: string;
  hash: string;
}

export type StoredLedgerEvent = LedgerEvent | RedactedLedgerEvent;

/**
 * An event the one-click fast path stored on the profile and that is not chained yet (no hashes);
 * `seq` is the place it takes when chained, which no other event can take first.
 */
export interface UnsealedLedgerEvent extends LedgerEventContent {
  seq: number;
  unsealed: true;
}

/** What a reader of a whole history gets: the chained events, then any unsealed ones. */
export type RecordedLedgerEvent = StoredLedgerEvent | UnsealedLedgerEvent;

export const isRedacted = (e: RecordedLedgerEvent): e is RedactedLedgerEvent => (e as RedactedLedgerEvent).redacted === true;

/** Deterministic JSON: keys sorted at every depth, undefined dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export const hashContent = (content: LedgerEventContent): string => sha256(canonicalJson(content));

/** The chain link: covers the previous link, the position and the content's hash. */
export const linkHash = (prevHash: string, seq: number, contentHash: string): string => sha256(`${prevHash}\n${seq}\n${contentHash}`);

/** Chains new events onto a head; returns them and the new head. */
export function appendEvents(head: LedgerHead, contents: LedgerEventContent[]): { events: LedgerEvent[]; head: LedgerHead } {
  let { seq, hash } = head;
  const events = contents.map((content) => {
    seq += 1;
    const contentHash = hashContent(content);
    const event: LedgerEvent = { ...content, seq, contentHash, prevHash: hash, hash: linkHash(hash, seq, contentHash) };
    hash = event.hash;
    return event;
  });
  return { events, head: { seq, hash } };
}

export type LedgerVerdict = { ok: true } | { ok: false; seq: number; problem: 'content-mismatch' | 'hash-mismatch' | 'broken-chain' | 'gap' | 'head-mismatch' };

/** Erasure keeps the chain verifiable while removing everything the event said. */
export const redactEvent = (e: StoredLedgerEvent): RedactedLedgerEvent => ({
  seq: e.seq,
  redacted: true,
  contentHash: e.contentHash,
  prevHash: e.prevHash,
  hash: e.hash,
});

/**
 * Checks a whole ledger, oldest first, against the head stored on the subscriber record. Catches
 * an edited event (its content no longer matches its hash, or a recomputed hash breaks the next
 * link), a removed or inserted one (the chain or the sequence breaks) and a truncated tail (the
 * head disagrees). Redacted events are checked by their links only.
 */
export function verifyLedger(events: readonly StoredLedgerEvent[], head: LedgerHead): LedgerVerdict {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const e of events) {
    if (e.seq !== expectedSeq) return { ok: false, seq: e.seq, problem: 'gap' };
    if (e.prevHash !== prev) return { ok: false, seq: e.seq, problem: 'broken-chain' };
    if (!isRedacted(e)) {
      const { seq, contentHash, prevHash, hash, ...content } = e;
      if (hashContent(content) !== contentHash) return { ok: false, seq, problem: 'content-mismatch' };
    }
    if (linkHash(e.prevHash, e.seq, e.contentHash) !== e.hash) return { ok: false, seq: e.seq, problem: 'hash-mismatch' };
    prev = e.hash;
    expectedSeq += 1;
  }
  if (head.seq !== events.length || head.hash !== prev) return { ok: false, seq: head.seq, problem: 'head-mismatch' };
  return { ok: true };
}

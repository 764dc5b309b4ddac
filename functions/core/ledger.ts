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
  prevHash: string;
  hash: string;
}

/** Deterministic JSON: keys sorted at every depth, undefined dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function hashEvent(content: LedgerEventContent, seq: number, prevHash: string): string {
  return createHash('sha256').update(prevHash).update('\n').update(String(seq)).update('\n').update(canonicalJson(content)).digest('hex');
}

/** Chains new events onto a head; returns them and the new head. */
export function appendEvents(head: LedgerHead, contents: LedgerEventContent[]): { events: LedgerEvent[]; head: LedgerHead } {
  let { seq, hash } = head;
  const events = contents.map((content) => {
    seq += 1;
    const event: LedgerEvent = { ...content, seq, prevHash: hash, hash: hashEvent(content, seq, hash) };
    hash = event.hash;
    return event;
  });
  return { events, head: { seq, hash } };
}

export type LedgerVerdict = { ok: true } | { ok: false; seq: number; problem: 'hash-mismatch' | 'broken-chain' | 'gap' | 'head-mismatch' };

/**
 * Checks a whole ledger, oldest first, against the head stored on the subscriber record. Catches
 * an edited event (its hash no longer matches), a removed or inserted one (the chain or the
 * sequence breaks) and a truncated tail (the head disagrees).
 */
export function verifyLedger(events: readonly LedgerEvent[], head: LedgerHead): LedgerVerdict {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const e of events) {
    if (e.seq !== expectedSeq) return { ok: false, seq: e.seq, problem: 'gap' };
    if (e.prevHash !== prev) return { ok: false, seq: e.seq, problem: 'broken-chain' };
    const { seq, prevHash, hash, ...content } = e;
    if (hashEvent(content, seq, prevHash) !== hash) return { ok: false, seq: e.seq, problem: 'hash-mismatch' };
    prev = hash;
    expectedSeq += 1;
  }
  if (head.seq !== events.length || head.hash !== prev) return { ok: false, seq: head.seq, problem: 'head-mismatch' };
  return { ok: true };
}

import { describe, expect, it } from 'vitest';
import { appendEvents, canonicalJson, hashContent, type LedgerEventContent, redactEvent, verifyLedger } from '../../functions/core/ledger';
import { GENESIS_HASH } from '../../functions/core/subscriber';

const event = (to: string, at: string): LedgerEventContent => ({
  type: 'unsubscribed',
  at,
  source: 'one-click',
  changes: [{ brand: 'livlog', topic: 'newsletter', from: 'subscribed', to }],
});

const chain = () => {
  const first = appendEvents({ seq: 0, hash: GENESIS_HASH }, [event('subscribed', '2026-01-01T00:00:00Z')]);
  const rest = appendEvents(first.head, [event('unsubscribed', '2026-02-01T00:00:00Z'), event('subscribed', '2026-03-01T00:00:00Z')]);
  return { events: [...first.events, ...rest.events], head: rest.head };
};

describe('consent ledger hash chain', () => {
  it('verifies an untouched chain', () => {
    const { events, head } = chain();
    expect(head.seq).toBe(3);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(verifyLedger(events, head)).toEqual({ ok: true });
  });

  it('catches an edited event', () => {
    const { events, head } = chain();
    const edited = events.map((e) => (e.seq === 2 ? { ...e, changes: [{ ...e.changes[0], to: 'subscribed' }] } : e));
    expect(verifyLedger(edited as typeof events, head)).toEqual({ ok: false, seq: 2, problem: 'content-mismatch' });
  });

  it('catches a removed event in the middle and at the end', () => {
    const { events, head } = chain();
    expect(verifyLedger([events[0], events[2]] as typeof events, head)).toMatchObject({ ok: false, problem: 'gap' });
    expect(verifyLedger(events.slice(0, 2), head)).toMatchObject({ ok: false, problem: 'head-mismatch' });
  });

  it('catches an event whose hash was recomputed after an edit (the next link breaks)', () => {
    const { events, head } = chain();
    const [a, b, c] = events;
    if (!a || !b || !c) throw new Error('chain');
    const forged = appendEvents({ seq: 1, hash: a.hash }, [{ ...event('subscribed', b.at) }]).events[0];
    expect(verifyLedger([a, forged, c] as typeof events, head)).toMatchObject({ ok: false, seq: 3, problem: 'broken-chain' });
  });

  it('catches an edit whose content hash was recomputed too (the link breaks)', () => {
    const { events, head } = chain();
    const edited = events.map((e) => {
      if (e.seq !== 2) return e;
      const { seq, contentHash, prevHash, hash, ...content } = e;
      const changed = { ...content, source: 'admin' as const };
      return { ...changed, seq, prevHash, hash, contentHash: hashContent(changed) };
    });
    expect(verifyLedger(edited, head)).toEqual({ ok: false, seq: 2, problem: 'hash-mismatch' });
  });

  it('still verifies after redaction (erasure), and still catches a removed redacted event', () => {
    const { events, head } = chain();
    const redacted = events.map((e) => (e.seq < 3 ? redactEvent(e) : e));
    expect(JSON.stringify(redacted[0])).not.toContain('livlog');
    expect(verifyLedger(redacted, head)).toEqual({ ok: true });
    expect(verifyLedger(redacted.slice(1), head)).toMatchObject({ ok: false, problem: 'gap' });
  });

  it('hashes content independently of key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
  });
});

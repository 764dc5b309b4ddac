import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleExport } from '../../functions/core/data-export';
import type { EmailId } from '../../functions/core/email-id';
import { appendEvents } from '../../functions/core/ledger';
import { GENESIS_HASH } from '../../functions/core/subscriber';
import { type Schema, validate } from '../support/json-schema';

const schema = JSON.parse(readFileSync('docs/export.schema.json', 'utf8')) as Schema;

describe('the export and its documented schema (docs/export.schema.json)', () => {
  const at = new Date('2026-02-01T00:00:00Z');
  const emailId = 'e'.repeat(43) as EmailId;
  const { events } = appendEvents({ seq: 0, hash: GENESIS_HASH }, [
    {
      type: 'consent-given',
      at: at.toISOString(),
      source: 'confirmation',
      changes: [{ brand: 'livlog', topic: 'newsletter', to: 'subscribed' }],
      ip: '192.0.2.1',
    },
  ]);
  const full = assembleExport({
    reference: 'INQ-ABCDEFGHJK',
    at,
    locale: 'ja',
    email: 'taro@example.com',
    profile: {
      emailId,
      email: 'taro@example.com',
      name: 'Taro',
      status: 'active',
      brands: { livlog: { topics: { newsletter: { state: 'subscribed', at: at.toISOString() } }, locale: 'ja' } },
      suppressions: { cotogoto: { reason: 'unsubscribe', at: at.toISOString(), source: 'one-click' } },
      ledger: { seq: 1, hash: 'x' },
      createdAt: at.toISOString(),
      updatedAt: at.toISOString(),
    },
    ledger: events,
    suppressions: [{ scope: 'cotogoto', reason: 'unsubscribe', at: at.toISOString(), source: 'one-click' }],
    sends: [{ brand: 'livlog', topic: 'newsletter', campaignId: 'c1', messageId: 'm1', at: at.toISOString(), emailId }],
    inquiries: [],
  });

  it('an export with every kind of record is valid, and carries no internal keys', () => {
    expect(validate(schema, full)).toEqual([]);
    expect(JSON.stringify(full)).not.toContain(emailId);
    expect(JSON.stringify(full)).not.toContain('prevHash');
    expect(full.facts.purposes.length).toBeGreaterThan(0);
  });

  it('an export for an address with no profile is valid', () => {
    const empty = assembleExport({
      reference: 'INQ-ABCDEFGHJK',
      at,
      locale: 'en',
      email: 'x@example.com',
      ledger: [],
      suppressions: [],
      sends: [],
      inquiries: [],
    });
    expect(validate(schema, empty)).toEqual([]);
    expect(empty.subject).toEqual({ email: 'x@example.com', name: null, status: null, createdAt: null });
  });

  it('the checker notices a missing fact, a wrong type and an unknown field', () => {
    const { rights: _, ...facts } = full.facts;
    expect(validate(schema, { ...full, facts })).toContain('$.facts.rights: required');
    expect(validate(schema, { ...full, subscriptions: 'none' })).toEqual(['$.subscriptions: expected array, got string']);
    expect(validate(schema, { ...full, extra: 1 })).toEqual(['$.extra: not allowed']);
  });
});

import type { Locale } from './brands';
import type { Inquiry } from './inquiry';
import type { RecordedLedgerEvent } from './ledger';
import { PRIVACY_FACTS, type PrivacyFacts } from './privacy-facts';
import type { Subscriber, Suppression } from './subscriber';

/**
 * The JSON an access or portability request hands over (documented in docs/export.schema.json):
 * every record under the address, across brands, and the Art. 15(1) facts. Internal keys (the
 * emailId, hashes of the ledger chain) are left out: they say nothing about the person.
 */
export interface DataExport {
  schemaVersion: 1;
  reference: string;
  generatedAt: string;
  locale: Locale;
  subject: { email: string | null; name: string | null; status: string | null; createdAt: string | null };
  subscriptions: { brand: string; topic: string; state: string; at: string }[];
  brandLocales: { brand: string; locale: string }[];
  suppressions: { scope: string; reason: string; at: string; source: string }[];
  consentLedger: Record<string, unknown>[];
  sends: Record<string, unknown>[];
  inquiries: {
    reference: string;
    brand: string;
    type: string;
    status: string;
    createdAt: string;
    receivedAt?: string;
    dueAt?: string;
    closedAt?: string;
    name?: string;
    message: string;
  }[];
  facts: PrivacyFacts;
}

export interface ExportSources {
  reference: string;
  at: Date;
  locale: Locale;
  email: string;
  profile?: Subscriber;
  ledger: RecordedLedgerEvent[];
  suppressions: (Suppression & { scope: string })[];
  sends: Record<string, unknown>[];
  inquiries: Inquiry[];
}

const strip = (o: Record<string, unknown>, drop: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !drop.includes(k)));

export function assembleExport(src: ExportSources): DataExport {
  const p = src.profile;
  return {
    schemaVersion: 1,
    reference: src.reference,
    generatedAt: src.at.toISOString(),
    locale: src.locale,
    subject: { email: p?.email ?? src.email, name: p?.name ?? null, status: p?.status ?? null, createdAt: p?.createdAt ?? null },
    subscriptions: Object.entries(p?.brands ?? {}).flatMap(([brand, b]) =>
      Object.entries(b.topics).map(([topic, t]) => ({ brand, topic, state: t.state, at: t.at })),
    ),
    brandLocales: Object.entries(p?.brands ?? {}).flatMap(([brand, b]) => (b.locale ? [{ brand, locale: b.locale }] : [])),
    suppressions: src.suppressions.map((s) => ({ scope: s.scope, reason: s.reason, at: s.at, source: s.source })),
    consentLedger: src.ledger.map((e) => strip(e as unknown as Record<string, unknown>, ['contentHash', 'prevHash', 'hash', 'unsealed'])),
    sends: src.sends.map((s) => strip(s, ['emailId', 'expiresAt'])),
    inquiries: src.inquiries.map((i) => ({
      reference: i.reference,
      brand: i.brand,
      type: i.type,
      status: i.status,
      createdAt: i.createdAt,
      ...(i.receivedAt ? { receivedAt: i.receivedAt } : {}),
      ...(i.dueAt ? { dueAt: i.dueAt } : {}),
      ...(i.closedAt ? { closedAt: i.closedAt } : {}),
      ...(i.name ? { name: i.name } : {}),
      message: i.message,
    })),
    facts: PRIVACY_FACTS[src.locale],
  };
}

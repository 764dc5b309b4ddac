/**
 * Bulk import of suppressions from CSV (`email,reason,brand,createdAt`):
 *
 * 1. read the body line by line (never the whole body at once), up to the request's limits;
 * 2. check the header, then each line: address, reason, brand, time; a bad line is reported with
 *    its line number and skipped, a repeated line is reported as a duplicate of the first;
 * 3. apply the good lines in batches of 25 addresses, a few batches at a time: one BatchGetItem for
 *    their profiles, one transaction for all their changes (each line's profile, ledger event and
 *    index entry together); a batch that meets a concurrent change is applied line by line;
 * 4. report `{applied, changed, skipped: [{line, error}]}`.
 *
 * A line is either applied whole or reported; never half.
 */
import { type ChangeContext, suppress } from '../core/consent';
import { parseCsvLine, textLines } from '../core/csv';
import { type NormalizedEmail, normalizeEmail } from '../core/email';
import type { EmailId } from '../core/email-id';
import { ValidationError } from '../core/errors';
import { own } from '../core/own';
import { newSubscriber, type Subscriber, type SuppressionReason } from '../core/subscriber';
import { SETTABLE_REASONS, withAddress } from '../core/suppressions';
import type { Deps } from '../deps';
import { type SubscriberChange, updateSubscriber } from '../store/subscribers';
import { commitSubscribersTogether, getSubscribers } from '../store/suppressions';

export const IMPORT_COLUMNS = ['email', 'reason', 'brand', 'createdAt'] as const;
/** Data lines one request may hold (the header comes on top). */
export const IMPORT_MAX_LINES = 100_000;
const BATCH_ADDRESSES = 25;
const BATCHES_IN_FLIGHT = 4;
const MAX_LINE_LENGTH = 1024;

export interface ImportReport {
  /** Lines whose suppression is in place after the call (set now, or already there or stronger). */
  applied: number;
  /** Of those, lines that changed a record. */
  changed: number;
  skipped: { line: number; error: string }[];
}

interface Row {
  line: number;
  email: NormalizedEmail;
  emailId: EmailId;
  reason: SuppressionReason;
  scope: string;
  createdAt: string;
}

export async function importSuppressions(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emailIdOf' | 'logger'>,
  input: { body: AsyncIterable<Uint8Array>; actor: string; maxBytes: number },
): Promise<ImportReport> {
  const report: ImportReport = { applied: 0, changed: 0, skipped: [] };
  const skip = (line: number, error: string) => report.skipped.push({ line, error });
  const now = deps.clock.now();
  const seen = new Map<string, number>();
  let columns: Columns | undefined;
  let batch: Row[] = [];
  const inFlight = new Set<Promise<void>>();

  const dispatch = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    const p = applyBatch(deps, rows, input.actor, report).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= BATCHES_IN_FLIGHT) await Promise.race(inFlight);
  };

  for await (const l of textLines(input.body, { maxLines: IMPORT_MAX_LINES + 1, maxBytes: input.maxBytes, maxLineLength: MAX_LINE_LENGTH })) {
    if ('error' in l) {
      skip(l.line, l.error);
      continue;
    }
    if (l.text.trim() === '') continue;
    const parsed = parseCsvLine(l.text);
    if (!columns) {
      columns = headerColumns(parsed.ok ? parsed.fields : undefined);
      continue;
    }
    if (!parsed.ok) {
      skip(l.line, parsed.error);
      continue;
    }
    const row = parseRow(deps, l.line, parsed.fields, columns, now);
    if (typeof row === 'string') {
      skip(l.line, row);
      continue;
    }
    const key = `${row.emailId}#${row.scope}#${row.reason}`;
    const first = seen.get(key);
    if (first !== undefined) {
      skip(l.line, `duplicate of line ${first}`);
      continue;
    }
    seen.set(key, l.line);
    // One address once per transaction: a second line for it starts the next batch.
    if (batch.length >= BATCH_ADDRESSES || batch.some((r) => r.emailId === row.emailId)) await dispatch();
    batch.push(row);
  }
  if (!columns) throw new ValidationError('The CSV has no header line.', [{ path: '(body)', message: `the first line must be ${IMPORT_COLUMNS.join(',')}` }]);
  await dispatch();
  await Promise.all(inFlight);
  report.skipped.sort((a, b) => a.line - b.line);
  return report;
}

interface Columns {
  index: Map<string, number>;
  count: number;
}

function headerColumns(fields: string[] | undefined): Columns {
  const names = (fields ?? []).map((f) => f.trim().toLowerCase());
  const missing = ['email', 'reason'].filter((c) => !names.includes(c));
  if (!fields || missing.length) {
    throw new ValidationError('The first line must be the header email,reason,brand,createdAt.', [
      { path: 'line 1', message: missing.length ? `missing column ${missing.join(', ')}` : 'not a CSV line' },
    ]);
  }
  // Columns of other names are read past, so that a file with extra columns still imports.
  return { index: new Map(IMPORT_COLUMNS.map((c) => [c, names.indexOf(c.toLowerCase())] as const).filter(([, i]) => i >= 0)), count: names.length };
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

function parseRow(deps: Pick<Deps, 'config' | 'emailIdOf'>, line: number, fields: string[], columns: Columns, now: Date): Row | string {
  // Fewer fields than the header are read as empty trailing fields; more is a broken line.
  if (fields.length > columns.count) return `expected ${columns.count} fields, found ${fields.length}`;
  const get = (c: string) => {
    const i = columns.index.get(c);
    return i === undefined ? '' : (fields[i] ?? '');
  };
  const addr = normalizeEmail(get('email'));
  if (!addr.ok) return `invalid address (${addr.problem})`;
  const reason = get('reason').trim().toLowerCase();
  if (reason === 'erasure') return 'reason erasure cannot be imported; erasure comes from an erasure inquiry';
  if (!(SETTABLE_REASONS as readonly string[]).includes(reason)) return `unknown reason (expected ${SETTABLE_REASONS.join(', ')})`;
  const brand = get('brand').trim();
  if (brand !== '' && brand !== '*' && !deps.config.brands.get(brand)) return deps.config.brands.unknownMessage;
  const rawAt = get('createdAt').trim();
  let createdAt = now.toISOString();
  if (rawAt !== '') {
    const t = ISO_TIME.test(rawAt) ? Date.parse(rawAt) : Number.NaN;
    if (Number.isNaN(t)) return 'createdAt is not an ISO 8601 time';
    if (t > now.getTime() + 60_000) return 'createdAt is in the future';
    createdAt = new Date(t).toISOString();
  }
  return { line, email: addr.email, emailId: deps.emailIdOf(addr.email), reason: reason as SuppressionReason, scope: brand === '' ? '*' : brand, createdAt };
}

/** The change one line asks for: the suppression, dated as the file says, recorded now. */
function decide(current: Subscriber, row: Row, ctx: ChangeContext): SubscriberChange | undefined {
  const d = withAddress(suppress(current, row.scope, row.reason, ctx), row.email);
  if (!d) return undefined;
  const sup = own(d.next.suppressions, row.scope);
  return sup ? { ...d, next: { ...d.next, suppressions: { ...d.next.suppressions, [row.scope]: { ...sup, at: row.createdAt } } } } : d;
}

async function applyBatch(deps: Pick<Deps, 'clock' | 'db' | 'logger'>, rows: Row[], actor: string, report: ImportReport): Promise<void> {
  const ctx: ChangeContext = { at: deps.clock.now(), source: 'import', by: actor };
  try {
    const profiles = await getSubscribers(
      deps.db,
      rows.map((r) => r.emailId),
    );
    const changes = rows.flatMap((row) => {
      const prev = profiles.get(row.emailId);
      const change = decide(prev ?? newSubscriber(row.emailId, ctx.at), row, ctx);
      return change ? [{ prev, change }] : [];
    });
    if ((await commitSubscribersTogether(deps.db, changes)) === 'committed') {
      report.applied += rows.length;
      report.changed += changes.length;
      return;
    }
  } catch (err) {
    deps.logger.warn('import batch failed; applying its lines one by one', { error: err, lines: rows.length });
  }
  for (const row of rows) {
    try {
      const { changed } = await updateSubscriber(deps.db, deps.clock, row.emailId, (current) => decide(current, row, ctx));
      report.applied++;
      if (changed) report.changed++;
    } catch (err) {
      deps.logger.warn('import line failed', { error: err, line: row.line });
      report.skipped.push({ line: row.line, error: 'not applied: the store did not answer; send this line again' });
    }
  }
}

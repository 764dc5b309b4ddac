/**
 * The suppression list, page by page (GET /admin/suppressions) and as CSV (the export):
 *
 * 1. query the index of one reason (gsi2), newest first; without a reason, the reasons one after
 *    the other, strongest first;
 * 2. read the addresses from the profiles (BatchGetItem), the one place they are kept;
 * 3. answer the rows and where to go on from.
 */
import { csvRecord } from '../core/csv';
import { InvalidCursorError } from '../core/errors';
import type { SuppressionReason } from '../core/subscriber';
import { SUPPRESSION_REASONS } from '../core/suppressions';
import type { Deps } from '../deps';
import { getSubscribers, isPageKeyOf, listSuppressionPage, type PageKey } from '../store/suppressions';

export interface SuppressionRow {
  /** Absent for an erased tombstone: its address is gone. */
  email?: string;
  reason: SuppressionReason;
  /** `null`: every brand. */
  brand: string | null;
  createdAt: string;
  source: string;
  messageId?: string;
  note?: string;
}

/** Where a listing goes on: the reason being read and the index key to start after. */
export interface ListPosition {
  reason: SuppressionReason;
  key?: PageKey;
}

export async function listSuppressions(
  deps: Pick<Deps, 'db'>,
  input: { reason?: SuppressionReason; from?: ListPosition; limit: number },
): Promise<{ items: SuppressionRow[]; next?: ListPosition }> {
  const reasons = input.reason ? [input.reason] : [...SUPPRESSION_REASONS];
  // A position names an index key to read on from: only a key of that reason's pages is one.
  if (input.from?.key && !isPageKeyOf(input.from.reason, input.from.key)) {
    throw new InvalidCursorError();
  }
  let at = input.from ? reasons.indexOf(input.from.reason) : 0;
  let key = input.from?.key;
  const items: SuppressionRow[] = [];
  while (at >= 0 && at < reasons.length && items.length < input.limit) {
    const reason = reasons[at] as SuppressionReason;
    const page = await listSuppressionPage(deps.db, reason, { limit: input.limit - items.length, ...(key ? { startKey: key } : {}) });
    const profiles = await getSubscribers(
      deps.db,
      page.entries.map((e) => e.emailId),
    );
    for (const e of page.entries) {
      const email = profiles.get(e.emailId)?.email;
      items.push({
        ...(email ? { email } : {}),
        reason: e.reason,
        brand: e.scope === '*' ? null : e.scope,
        createdAt: e.at,
        source: e.source,
        ...(e.messageId ? { messageId: e.messageId } : {}),
        ...(e.note ? { note: e.note } : {}),
      });
    }
    key = page.nextKey;
    if (!key) at++;
  }
  const next = at < reasons.length ? { reason: reasons[at] as SuppressionReason, ...(key ? { key } : {}) } : undefined;
  return { items, ...(next ? { next } : {}) };
}

export const EXPORT_HEADER = csvRecord(['email', 'reason', 'brand', 'createdAt']);

/**
 * The list as CSV, one chunk per page, for streaming. Tombstones of erased people have no address
 * and are left out: there is nothing to put in the `email` column.
 */
export async function* exportSuppressions(deps: Pick<Deps, 'db'>, input: { reason?: SuppressionReason; pageSize?: number } = {}): AsyncGenerator<string> {
  yield EXPORT_HEADER;
  let from: ListPosition | undefined;
  do {
    const page = await listSuppressions(deps, { ...(input.reason ? { reason: input.reason } : {}), ...(from ? { from } : {}), limit: input.pageSize ?? 500 });
    const chunk = page.items
      .filter((r) => r.email)
      .map((r) => csvRecord([r.email as string, r.reason, r.brand ?? '', r.createdAt]))
      .join('');
    if (chunk) yield chunk;
    from = page.next;
  } while (from);
}

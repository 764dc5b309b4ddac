/**
 * The console overview's view of the queue: how many open inquiries there are by status, how
 * many are overdue and how many fall due within the next days, and the soonest of them.
 *
 * 1. page through the open statuses (received, in-progress) soonest due first, as the queue does;
 * 2. count them against the clock;
 * 3. keep the first few (they are the soonest due) for the officer's list.
 */
import type { Inquiry, InquiryStatus } from '../core/inquiry';
import { OPEN_STATUSES } from '../core/inquiry';
import type { Deps } from '../deps';
import { listInquiryQueue } from './officer-inquiries';

export const DUE_SOON_DAYS = 7;

export interface InquiryOverview {
  byStatus: Record<string, number>;
  overdue: number;
  dueSoon: number;
  soonest: Inquiry[];
}

/** Whether an inquiry is overdue, due within `DUE_SOON_DAYS`, or neither, at `now`. */
export function dueState(inq: Pick<Inquiry, 'dueAt' | 'status'>, now: Date): 'overdue' | 'due-soon' | undefined {
  if (!inq.dueAt || !OPEN_STATUSES.includes(inq.status)) return undefined;
  const due = new Date(inq.dueAt).getTime();
  if (due < now.getTime()) return 'overdue';
  if (due <= now.getTime() + DUE_SOON_DAYS * 86_400_000) return 'due-soon';
  return undefined;
}

export async function inquiryOverview(deps: Pick<Deps, 'clock' | 'db'>, input: { keep: number }): Promise<InquiryOverview> {
  const now = deps.clock.now();
  const byStatus: Record<string, number> = Object.fromEntries(OPEN_STATUSES.map((s) => [s, 0]));
  const out: InquiryOverview = { byStatus, overdue: 0, dueSoon: 0, soonest: [] };
  let positions: Record<string, string | null> | undefined;
  for (;;) {
    const page = await listInquiryQueue(deps, { statuses: [...OPEN_STATUSES] as InquiryStatus[], limit: 100, ...(positions ? { positions } : {}) });
    for (const inq of page.items) {
      byStatus[inq.status] = (byStatus[inq.status] ?? 0) + 1;
      const state = dueState(inq, now);
      if (state === 'overdue') out.overdue++;
      if (state === 'due-soon') out.dueSoon++;
      if (out.soonest.length < input.keep) out.soonest.push(inq);
    }
    if (!page.more) return out;
    positions = page.positions;
  }
}

/**
 * The privacy officer's reads (the JSON routes and the console alike):
 * - the queue: open inquiries (or those of one status), soonest due first, a page at a time;
 * - one inquiry with its whole event history, or `NotFoundError`.
 */
import { NotFoundError } from '../core/errors';
import type { Inquiry, InquiryEvent, InquiryStatus, InquiryType } from '../core/inquiry';
import type { Deps } from '../deps';
import { getInquiry, type InquiryPage, listInquiries, listInquiryEvents } from '../store/inquiries';

export interface InquiryQueueQuery {
  statuses: InquiryStatus[];
  brand?: string;
  type?: InquiryType;
  dueBefore?: string;
  limit: number;
  /** Where the previous page stopped, per status (`null`: that status is done). */
  positions?: Record<string, string | null>;
}

export function listInquiryQueue(deps: Pick<Deps, 'db' | 'clock'>, query: InquiryQueueQuery): Promise<InquiryPage> {
  return listInquiries(deps.db, { ...query, now: deps.clock.now() });
}

export async function showInquiry(deps: Pick<Deps, 'db' | 'clock'>, reference: string): Promise<{ inquiry: Inquiry; events: InquiryEvent[] }> {
  const inquiry = await getInquiry(deps.db, reference, deps.clock.now());
  if (!inquiry) throw new NotFoundError('No such inquiry.');
  return { inquiry, events: await listInquiryEvents(deps.db, reference) };
}

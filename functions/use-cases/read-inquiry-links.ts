/**
 * What the requester's links show (`GET /inquiries/status/{token}`, `GET /exports/{token}`):
 * - the status: the inquiry the token names, and for a completed access or portability request a
 *   download link that lives exactly as long as the export, whenever the page is opened;
 * - the export: its JSON as stored when the request was fulfilled.
 * A token for an inquiry or export that is gone (expired, erased) is `NotFoundError`.
 */
import { NotFoundError } from '../core/errors';
import { EXPORT_TYPES, type Inquiry } from '../core/inquiry';
import type { Deps } from '../deps';
import { getExport, readExport } from '../store/exports';
import { getInquiry } from '../store/inquiries';

export async function readInquiryStatus(deps: Pick<Deps, 'db' | 'clock' | 'tokens'>, token: string): Promise<{ inquiry: Inquiry; exportUrl?: string }> {
  const { r } = deps.tokens.verify(token, 'status');
  const now = deps.clock.now();
  const inquiry = r ? await getInquiry(deps.db, r, now) : undefined;
  if (!inquiry) throw new NotFoundError('This inquiry no longer exists.');
  if (inquiry.status !== 'completed' || !EXPORT_TYPES.includes(inquiry.type)) return { inquiry };
  const exp = await getExport(deps.db, inquiry.reference, now);
  if (!exp) return { inquiry };
  const ttl = exp.expiresAt - Math.floor(now.getTime() / 1000);
  return { inquiry, exportUrl: `/exports/${deps.tokens.sign('export', { r: inquiry.reference }, ttl)}` };
}

export async function readExportDownload(deps: Pick<Deps, 'db' | 'clock' | 'tokens'>, token: string): Promise<{ reference: string; data: string }> {
  const { r } = deps.tokens.verify(token, 'export');
  const exp = r ? await readExport(deps.db, r, deps.clock.now()) : undefined;
  if (!r || !exp) throw new NotFoundError('This export no longer exists.');
  return { reference: r, data: exp.data };
}

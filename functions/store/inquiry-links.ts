import type { EmailId } from '../core/email-id';
import type { Inquiry } from '../core/inquiry';
import type { Db } from './client';
import { getInquiries } from './inquiries';
import { keys } from './keys';
import { queryPartition } from './query';

/**
 * The inquiries of one address still waiting for verification, oldest first: the links under
 * `SUB#{emailId}` (docs/data-model.md), then the inquiries themselves, expired ones left out.
 */
export async function listUnverifiedInquiriesOf(db: Db, emailId: EmailId, now: Date): Promise<Inquiry[]> {
  const links = await queryPartition(db, keys.subscriberPartition(emailId), { skPrefix: keys.inquiryLinkPrefix, projection: 'sk' });
  const references = links.map((l) => String(l.sk).slice(keys.inquiryLinkPrefix.length));
  return (await getInquiries(db, references, now)).filter((i) => i.status === 'unverified');
}

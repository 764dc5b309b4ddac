/**
 * Key builders, one per item type. Nothing outside `store/` builds a key.
 * See docs/data-model.md for the access pattern each serves.
 */
export const keys = {
  subscriber: (emailId: string) => ({ pk: `SUB#${emailId}`, sk: 'PROFILE' }),
  ledgerEvent: (emailId: string, seq: number) => ({ pk: `SUB#${emailId}`, sk: `EVT#${String(seq).padStart(10, '0')}` }),
  ledgerPrefix: 'EVT#',
  suppressionEntry: (emailId: string, scope: string) => ({ pk: `SUB#${emailId}`, sk: `SUPP#${scope}` }),
  suppressionIndex: (reason: string, at: string, emailId: string, scope: string) => ({ gsi2pk: `SUPP#${reason}`, gsi2sk: `${at}#${emailId}#${scope}` }),
  subscriberPartition: (emailId: string) => `SUB#${emailId}`,
  health: { pk: 'HEALTH', sk: 'HEALTH' },
  // Sending (docs/data-model.md "Campaigns and sends")
  campaignMeta: (campaignId: string) => ({ pk: `CAMP#${campaignId}`, sk: 'META' }),
  campaignRecipient: (campaignId: string, emailId: string) => ({ pk: `CAMP#${campaignId}`, sk: `RCPT#${emailId}` }),
  /** Sparse gsi1 entry while a recipient is `pending` or `claimed`, so the worker finds them without a scan. */
  campaignStatusIndex: (campaignId: string, status: 'pending' | 'claimed', sortKey: string) => ({ gsi1pk: `CAMP#${campaignId}#${status}`, gsi1sk: sortKey }),
  sendRecord: (emailId: string, at: string, campaignId: string) => ({ pk: `SUB#${emailId}`, sk: `SEND#${at}#${campaignId}` }),
} as const;

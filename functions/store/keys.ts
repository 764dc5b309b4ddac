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
  subscribeWindow: (emailId: string, brand: string) => ({ pk: `SUB#${emailId}`, sk: `WINDOW#${brand}` }),
  health: { pk: 'HEALTH', sk: 'HEALTH' },
  // Suppressions and SES feedback
  suppressionPartition: (reason: string) => `SUPP#${reason}`,
  sesEvent: (eventId: string) => ({ pk: `SESEVT#${eventId}`, sk: 'SESEVT' }),
  softBounce: (emailId: string) => ({ pk: `SUB#${emailId}`, sk: 'SOFTBOUNCE' }),
  feedbackStats: (brand: string, day: string) => ({ pk: `STATS#${brand}#${day}`, sk: 'STATS' }),
  // Privacy inquiries (functions/store/inquiries.ts)
  inquiry: (reference: string) => ({ pk: `INQ#${reference}`, sk: 'INQ' }),
  inquiryIndex: (status: string, sortAt: string, reference: string) => ({ gsi1pk: `INQ#${status}`, gsi1sk: `${sortAt}#${reference}` }),
  inquiryEvent: (reference: string, at: string, n: number) => ({ pk: `INQ#${reference}`, sk: `EVT#${at}#${String(n).padStart(4, '0')}` }),
  inquiryPartition: (reference: string) => `INQ#${reference}`,
  inquiryLink: (emailId: string, reference: string) => ({ pk: `SUB#${emailId}`, sk: `INQ#${reference}` }),
  inquiryLinkPrefix: 'INQ#',
  inquiryExport: (reference: string) => ({ pk: `EXPORT#${reference}`, sk: 'EXPORT' }),
  inquiryExportPart: (reference: string, n: number) => ({ pk: `EXPORT#${reference}`, sk: `PART#${String(n).padStart(4, '0')}` }),
  inquiryExportPartition: (reference: string) => `EXPORT#${reference}`,
  /** An erasure that began and is not completed yet, so that the scheduler finishes it should nobody re-run it. */
  erasureBegun: (reference: string) => ({ pk: 'ERASURE', sk: reference }),
  erasurePartition: 'ERASURE',
  /** An erasure's sealed proof of consent: a partition of its own, so no read of the address's records ever carries it. */
  consentProof: (emailId: string) => ({ pk: `PROOF#${emailId}`, sk: 'PROOF' }),
  scheduleMark: (job: string, period: string) => ({ pk: `SCHED#${job}`, sk: period }),
  rateCounter: (scope: string, key: string, windowStart: number) => ({ pk: `RATE#${scope}#${key}`, sk: String(windowStart) }),
  // The console's sign-in (functions/store/console-sessions.ts): keyed by a hash of the cookie's id.
  consoleLogin: (idHash: string) => ({ pk: `CONSOLE#LOGIN#${idHash}`, sk: 'LOGIN' }),
  consoleSession: (idHash: string) => ({ pk: `CONSOLE#SESSION#${idHash}`, sk: 'SESSION' }),
  // Sending (docs/data-model.md "Campaigns and sends")
  campaignMeta: (campaignId: string) => ({ pk: `CAMP#${campaignId}`, sk: 'META' }),
  /** Every campaign's entry in gsi2 (overloaded: the suppressions use `SUPP#…` partitions), newest first by `gsi2sk`. */
  campaignListIndex: (createdAt: string, campaignId: string) => ({ gsi2pk: 'CAMPAIGNS', gsi2sk: `${createdAt}#${campaignId}` }),
  campaignListPartition: 'CAMPAIGNS',
  campaignRecipient: (campaignId: string, emailId: string) => ({ pk: `CAMP#${campaignId}`, sk: `RCPT#${emailId}` }),
  /** An input that is not an address, kept (as a keyed hash) so that it is counted once. */
  campaignInvalidInput: (campaignId: string, inputId: string) => ({ pk: `CAMP#${campaignId}`, sk: `INVALID#${inputId}` }),
  /** One of the campaign's counter shards (store/campaign-counts.ts). */
  campaignCounts: (campaignId: string, shard: number) => ({ pk: `CAMP#${campaignId}`, sk: `COUNTS#${String(shard).padStart(2, '0')}` }),
  /**
   * Sparse gsi1 entry while a recipient is `claimed`, so that abandoned claims are found without
   * reading the campaign. Recipients stored before the intake stopped indexing `pending` ones carry
   * a `CAMP#{id}#pending` entry until settled, and the scans of gsi1 still read those.
   */
  campaignStatusIndex: (campaignId: string, status: 'claimed', sortKey: string) => ({ gsi1pk: `CAMP#${campaignId}#${status}`, gsi1sk: sortKey }),
  /** A worker's claims, listing the recipients of its batch (store/campaign-claims.ts). */
  campaignClaimRecord: (campaignId: string, claimId: string) => ({ pk: `CAMP#${campaignId}`, sk: `CLAIM#${claimId}` }),
  sendRecord: (emailId: string, at: string, campaignId: string) => ({ pk: `SUB#${emailId}`, sk: `SEND#${at}#${campaignId}` }),
} as const;

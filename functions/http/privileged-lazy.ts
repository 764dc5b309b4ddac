import type { LazyGroup } from './lazy-groups';

/**
 * The privileged route groups (privileged.ts) as the privileged Lambda function loads them: each
 * on the first request under its paths. test/integration/lazy-groups.test.ts holds this list to
 * privileged.ts and each group's routes to its paths.
 */
export const privilegedLazyGroups: LazyGroup[] = [
  { paths: ['/v1/sends', '/v1/campaigns/'], load: async () => (await import('./routes/sends')).sendRoutes },
  { paths: ['/admin/inquiries'], load: async () => (await import('./routes/admin-inquiries')).adminInquiryRoutes },
  { paths: ['/admin/suppressions'], load: async () => (await import('./routes/admin-suppressions')).adminSuppressionRoutes },
  { paths: ['/admin/subscribers/'], load: async () => (await import('./routes/admin-subscribers')).adminSubscriberRoutes },
  { paths: ['/admin/consent-proofs/'], load: async () => (await import('./routes/admin-consent-proofs')).adminConsentProofRoutes },
];

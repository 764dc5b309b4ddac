import type { LazyGroup } from './lazy-groups';

/**
 * The public route groups (public.ts) as the public Lambda function loads them: each on the
 * first request under its paths. test/integration/lazy-groups.test.ts holds this list to
 * public.ts and each group's routes to its paths.
 */
export const publicLazyGroups: LazyGroup[] = [
  { paths: ['/assets/'], load: async () => (await import('./pages/assets')).assetRoutes },
  {
    paths: ['/v1/subscriptions', '/subscriptions/', '/confirm/'],
    load: async () => (await import('./routes/subscriptions')).subscriptionRoutes,
  },
  // Before the preference center's group, which takes the rest of /u/: one-click needs no schema library.
  { paths: ['/u/*'], methods: ['POST'], load: async () => (await import('./routes/one-click')).oneClickRoutes },
  { paths: ['/u/', '/v1/preferences/'], load: async () => (await import('./routes/preferences')).preferenceRoutes },
  { paths: ['/v1/inquiries', '/exports/'], load: async () => (await import('./routes/inquiries')).inquiryRoutes },
  { paths: ['/inquiries/', '/contact'], load: async () => (await import('./routes/inquiry-pages')).inquiryPageRoutes },
];

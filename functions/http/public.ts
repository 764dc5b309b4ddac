import type { RouteGroup } from './app';
import { assetRoutes } from './pages/assets';
import { inquiryRoutes } from './routes/inquiries';
import { inquiryPageRoutes } from './routes/inquiry-pages';
import { oneClickRoutes } from './routes/one-click';
import { preferenceRoutes } from './routes/preferences';
import { subscriptionRoutes } from './routes/subscriptions';

/**
 * Routes of the public function: links in emails, contact forms, pages. Served to the internet
 * with no authorizer; this list is all the public Lambda bundles.
 */
export const publicGroups: RouteGroup[] = [assetRoutes, subscriptionRoutes, oneClickRoutes, preferenceRoutes, inquiryRoutes, inquiryPageRoutes];

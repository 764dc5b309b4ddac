import type { RouteGroup } from './app';
import { adminConsentProofRoutes } from './routes/admin-consent-proofs';
import { adminInquiryRoutes } from './routes/admin-inquiries';
import { adminSubscriberRoutes } from './routes/admin-subscribers';
import { adminSuppressionRoutes } from './routes/admin-suppressions';
import { localSesEventRoutes } from './routes/local-ses-events';
import { sendRoutes } from './routes/sends';

/**
 * Routes of the privileged function (IAM-authorized in AWS, bearer token locally): the send
 * pipeline and the privacy officer's tools. Each group applies `requireAdmin` to its routes.
 */
export const privilegedGroups: RouteGroup[] = [sendRoutes, adminInquiryRoutes, adminSuppressionRoutes, adminSubscriberRoutes, adminConsentProofRoutes];

/** Routes that exist only in the local stack (e.g. POST /local/ses-events), also privileged. */
export const localOnlyGroups: RouteGroup[] = [localSesEventRoutes];

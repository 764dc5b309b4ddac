import { sesEventHandler } from '../use-cases/apply-ses-event';
import { depsFromEnv } from './bootstrap';

/**
 * SES feedback: target of the EventBridge rule on the default bus (source `aws.ses`, the detail
 * types "Email Bounced", "Email Complaint Received", "Email Delivered", "Email Rejected"). A thrown
 * error makes EventBridge retry, then park the event in the dead-letter queue.
 */
export const handler = sesEventHandler(await depsFromEnv());

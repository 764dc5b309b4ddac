import { runInquirySchedule } from '../use-cases/run-inquiry-schedule';
import { depsFromEnv } from './bootstrap';

/**
 * EventBridge Scheduler → the inquiry clock (reminders, expiry, the officer's digest). The
 * schedule's payload is ignored: every run looks at the whole state and is idempotent.
 */
const deps = await depsFromEnv();

export const handler = async () => runInquirySchedule(deps);

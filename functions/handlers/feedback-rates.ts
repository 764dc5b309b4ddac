import { computeFeedbackRates } from '../use-cases/compute-feedback-rates';
import { depsFromEnv } from './bootstrap';

const deps = await depsFromEnv();

/**
 * Daily schedule (EventBridge Scheduler or a rule): yesterday's per-brand bounce and complaint
 * rates as Embedded Metric Format lines on stdout, which CloudWatch Logs turns into metrics.
 */
export const handler = async () => {
  const rates = await computeFeedbackRates(deps, { emit: (line) => process.stdout.write(`${line}\n`) });
  return { day: rates[0]?.day, brands: rates.length };
};

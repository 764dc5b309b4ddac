/**
 * The daily feedback-rates job (handlers/feedback-rates.ts, run by a schedule):
 *
 * 1. take the day (by default yesterday, UTC);
 * 2. read each brand's counters of that day, kept by apply-ses-event;
 * 3. compute the bounce rate (permanent bounces / messages that reached an outcome: delivered
 *    plus bounced) and the complaint rate (complaints / delivered), in percent;
 * 4. emit them as CloudWatch Embedded Metric Format lines (namespace `PrivacyBackend`, metrics
 *    `BounceRate`, `ComplaintRate` and the counts, dimension `Brand`), which CloudWatch turns into
 *    metrics the stack alarms on, below SES's review thresholds (bounces 5 %, complaints 0.1 %).
 */
import type { Deps } from '../deps';
import { type FeedbackCounts, readFeedbackCounts } from '../store/feedback';

export const METRICS_NAMESPACE = 'PrivacyBackend';

export interface BrandRates extends FeedbackCounts {
  brand: string;
  day: string;
  /** Delivered plus every bounce: the messages that reached an outcome. */
  outcomes: number;
  /** Percent; 0 when nothing was sent. */
  bounceRate: number;
  complaintRate: number;
}

const percent = (n: number, of: number) => (of > 0 ? Math.round((n / of) * 100 * 10_000) / 10_000 : 0);

/** The rates of one day's counters, as the alarms and the console's chart both read them. */
export function ratesOf(c: FeedbackCounts): Pick<BrandRates, 'outcomes' | 'bounceRate' | 'complaintRate'> {
  const outcomes = c.delivered + c.bounced + c.softBounced;
  return { outcomes, bounceRate: percent(c.bounced, outcomes), complaintRate: percent(c.complained, c.delivered) };
}

export async function computeFeedbackRates(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'logger'>,
  input: { day?: string; emit: (line: string) => void },
): Promise<BrandRates[]> {
  const day = input.day ?? new Date(deps.clock.now().getTime() - 86_400_000).toISOString().slice(0, 10);
  const rates: BrandRates[] = [];
  for (const brand of deps.config.brands.list) {
    const c = await readFeedbackCounts(deps.db, brand.id, day);
    const r: BrandRates = { brand: brand.id, day, ...c, ...ratesOf(c) };
    rates.push(r);
    input.emit(JSON.stringify(emfLine(r, new Date(`${day}T23:59:59.999Z`))));
  }
  deps.logger.info('feedback rates computed', { day, brands: rates.length });
  return rates;
}

/** One Embedded Metric Format record (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html). */
export function emfLine(r: BrandRates, at: Date) {
  return {
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [['Brand']],
          Metrics: [
            { Name: 'BounceRate', Unit: 'Percent' },
            { Name: 'ComplaintRate', Unit: 'Percent' },
            { Name: 'Delivered', Unit: 'Count' },
            { Name: 'Bounced', Unit: 'Count' },
            { Name: 'Complained', Unit: 'Count' },
            { Name: 'Rejected', Unit: 'Count' },
          ],
        },
      ],
    },
    Brand: r.brand,
    Day: r.day,
    BounceRate: r.bounceRate,
    ComplaintRate: r.complaintRate,
    Delivered: r.delivered,
    Bounced: r.bounced,
    Complained: r.complained,
    Rejected: r.rejected,
  };
}

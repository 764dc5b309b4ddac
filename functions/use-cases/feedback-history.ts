/**
 * Each brand's daily bounce and complaint rates over the last days (the console's overview chart):
 *
 * 1. the days, oldest first, ending yesterday (UTC; today's counters are still growing);
 * 2. every brand's counters of those days in one batch read (kept by apply-ses-event);
 * 3. the rates of each day, computed as the daily rates job computes them, beside SES's review
 *    thresholds.
 */
import type { Deps } from '../deps';
import { feedbackSeriesKey, readFeedbackSeries } from '../store/feedback';
import { type BrandRates, ratesOf } from './compute-feedback-rates';

/** SES puts an account under review at these rates (percent). */
export const SES_REVIEW_THRESHOLDS = { bounceRate: 5, complaintRate: 0.1 } as const;

export type DayRates = Omit<BrandRates, 'brand'>;

export interface BrandHistory {
  brand: string;
  days: DayRates[];
}

export async function feedbackHistory(deps: Pick<Deps, 'clock' | 'config' | 'db'>, input: { days: number }): Promise<BrandHistory[]> {
  const end = deps.clock.now().getTime() - 86_400_000;
  const days = Array.from({ length: input.days }, (_, i) => new Date(end - (input.days - 1 - i) * 86_400_000).toISOString().slice(0, 10));
  const brands = deps.config.brands.list.map((b) => b.id);
  const counts = await readFeedbackSeries(deps.db, brands, days);
  return brands.map((brand) => ({
    brand,
    days: days.map((day) => {
      const c = counts.get(feedbackSeriesKey(brand, day)) ?? { delivered: 0, bounced: 0, softBounced: 0, complained: 0, rejected: 0 };
      return { day, ...c, ...ratesOf(c) };
    }),
  }));
}

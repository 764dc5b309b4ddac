import type { Locale } from '../../../core/brands';
import { consoleTextsOf } from '../../../core/texts/console';
import type { DayRates } from '../../../use-cases/feedback-history';

const W = 600;
const H = 170;
const LEFT = 48;
const RIGHT = 8;
const TOP = 12;
const BOTTOM = 24;

const pct = (n: number) => String(Number(n.toFixed(2)));

/**
 * One rate of one brand over the days, drawn on the server as SVG (no script; styles come from the
 * stylesheet, as the CSP forbids inline ones), with SES's review threshold as a dashed line. The
 * scale always shows the threshold, so a rate far below it looks far below it.
 */
export function RateChart(p: {
  id: string;
  brand: string;
  label: string;
  days: DayRates[];
  rate: 'bounceRate' | 'complaintRate';
  threshold: number;
  locale: Locale;
}) {
  const t = consoleTextsOf(p.locale).console.overview;
  const values = p.days.map((d) => d[p.rate]);
  const highest = Math.max(0, ...values);
  const top = Math.max(p.threshold * 1.5, highest * 1.1);
  const x = (i: number) => LEFT + (i * (W - LEFT - RIGHT)) / Math.max(1, p.days.length - 1);
  const y = (v: number) => TOP + (H - TOP - BOTTOM) * (1 - v / top);
  const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const first = p.days[0]?.day ?? '';
  const last = p.days[p.days.length - 1]?.day ?? '';
  const titleId = `${p.id}-title`;
  return (
    <figure>
      <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={titleId} xmlns="http://www.w3.org/2000/svg">
        <title id={titleId}>{t.chartLabel(p.brand, p.label, pct(highest), p.days.length)}</title>
        <line class="axis" x1={LEFT} y1={TOP} x2={LEFT} y2={H - BOTTOM} />
        <line class="axis" x1={LEFT} y1={H - BOTTOM} x2={W - RIGHT} y2={H - BOTTOM} />
        <text x={LEFT - 4} y={H - BOTTOM} text-anchor="end">
          0 %
        </text>
        <text x={LEFT - 4} y={TOP + 8} text-anchor="end">
          {`${pct(top)} %`}
        </text>
        <line class="limit" x1={LEFT} y1={y(p.threshold)} x2={W - RIGHT} y2={y(p.threshold)} />
        <text x={W - RIGHT} y={y(p.threshold) - 4} text-anchor="end">
          {t.threshold(pct(p.threshold))}
        </text>
        <polyline class="rate" points={points} />
        <text x={LEFT} y={H - 6}>
          {first}
        </text>
        <text x={W - RIGHT} y={H - 6} text-anchor="end">
          {last}
        </text>
      </svg>
      <figcaption>{t.chartLabel(p.brand, p.label, pct(highest), p.days.length)}</figcaption>
    </figure>
  );
}

/** The same figures as a table, for a screen reader and for anyone who wants the numbers. */
export function RatesTable({ brand, days, locale }: { brand: string; days: DayRates[]; locale: Locale }) {
  const t = consoleTextsOf(locale).console.overview;
  return (
    <details>
      <summary>{t.table(brand)}</summary>
      <div class="table-wrap">
        <table>
          <caption>{t.table(brand)}</caption>
          <thead>
            <tr>
              <th scope="col">{t.day}</th>
              <th scope="col" class="num">
                {t.delivered}
              </th>
              <th scope="col" class="num">
                {t.bounced}
              </th>
              <th scope="col" class="num">
                {t.complained}
              </th>
              <th scope="col" class="num">
                {t.bounce}
              </th>
              <th scope="col" class="num">
                {t.complaint}
              </th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr>
                <th scope="row">{d.day}</th>
                <td class="num">{d.delivered}</td>
                <td class="num">{d.bounced}</td>
                <td class="num">{d.complained}</td>
                <td class="num">{`${d.bounceRate} %`}</td>
                <td class="num">{`${d.complaintRate} %`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

import { Hono } from 'hono';
import { consoleTextsOf } from '../../../core/texts/console';
import { grouped } from '../../../core/texts/numbers';
import type { Deps } from '../../../deps';
import { feedbackHistory, SES_REVIEW_THRESHOLDS } from '../../../use-cases/feedback-history';
import { DUE_SOON_DAYS, inquiryOverview } from '../../../use-cases/inquiry-overview';
import { listCampaigns } from '../../../use-cases/list-campaigns';
import type { ConsoleEnv } from '../context';
import { CampaignTable } from './campaigns';
import { RateChart, RatesTable } from './chart';
import { consolePage, isOfficer } from './frame';
import { InquiryTable } from './inquiry-table';

const CHART_DAYS = 30;
const SOONEST = 10;
const RECENT_CAMPAIGNS = 5;

/**
 * GET /console, for both roles: the open inquiries by status with the overdue and soon-due counts
 * (the officer also sees the soonest of them; marketing the counts only), each brand's bounce and
 * complaint rates beside SES's review thresholds, and the recent campaigns.
 */
export function overviewPage(deps: Deps) {
  const brands = deps.config.brands;
  return new Hono<ConsoleEnv>().get('/console', async (c) => {
    const locale = c.get('locale');
    const t = consoleTextsOf(locale).console;
    const officer = isOfficer(c.get('operator'));
    const [queue, history, campaigns] = await Promise.all([
      inquiryOverview(deps, { keep: officer ? SOONEST : 0 }),
      feedbackHistory(deps, { days: CHART_DAYS }),
      listCampaigns(deps, { limit: RECENT_CAMPAIGNS }),
    ]);
    const statuses = consoleTextsOf(locale).inquiries.statuses;
    return consolePage(c, {
      title: t.overview.title,
      section: 'overview',
      children: (
        <>
          <h1>{t.overview.title}</h1>
          <section aria-labelledby="inquiries-title">
            <h2 id="inquiries-title">{t.overview.inquiries}</h2>
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t.overview.status}</th>
                    <th scope="col" class="num">
                      {t.overview.count}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(queue.byStatus).map(([s, n]) => (
                    <tr>
                      <th scope="row">{statuses[s as keyof typeof statuses] ?? s}</th>
                      <td class="num">{grouped(n)}</td>
                    </tr>
                  ))}
                  <tr>
                    <th scope="row">{t.overview.overdue}</th>
                    <td class="num">{grouped(queue.overdue)}</td>
                  </tr>
                  <tr>
                    <th scope="row">{t.overview.dueSoon(DUE_SOON_DAYS)}</th>
                    <td class="num">{grouped(queue.dueSoon)}</td>
                  </tr>
                </tbody>
              </table>
            </div>
            {officer ? (
              <>
                <h3>{t.overview.soonest}</h3>
                <InquiryTable rows={queue.soonest} now={deps.clock.now()} brands={brands} locale={locale} />
              </>
            ) : null}
          </section>
          <section aria-labelledby="rates-title">
            <h2 id="rates-title">{t.overview.rates}</h2>
            <p>{t.overview.ratesIntro}</p>
            {history.map((h) => {
              const name = brands.get(h.brand)?.name[locale] ?? h.brand;
              return (
                <>
                  <h3>{name}</h3>
                  <div class="charts">
                    <RateChart
                      id={`bounce-${h.brand}`}
                      brand={name}
                      label={t.overview.bounce}
                      days={h.days}
                      rate="bounceRate"
                      threshold={SES_REVIEW_THRESHOLDS.bounceRate}
                      locale={locale}
                    />
                    <RateChart
                      id={`complaint-${h.brand}`}
                      brand={name}
                      label={t.overview.complaint}
                      days={h.days}
                      rate="complaintRate"
                      threshold={SES_REVIEW_THRESHOLDS.complaintRate}
                      locale={locale}
                    />
                  </div>
                  <RatesTable brand={name} days={h.days} locale={locale} />
                </>
              );
            })}
          </section>
          <section aria-labelledby="campaigns-title">
            <h2 id="campaigns-title">{t.overview.recent}</h2>
            <CampaignTable rows={campaigns.items} brands={brands} locale={locale} />
            <a href="/console/campaigns">{t.overview.allCampaigns}</a>
          </section>
        </>
      ),
    });
  });
}

import { Hono } from 'hono';
import { z } from 'zod';
import type { Brands, Locale } from '../../../core/brands';
import { NotFoundError } from '../../../core/errors';
import { own } from '../../../core/own';
import { consoleTextsOf } from '../../../core/texts/console';
import { formatDate } from '../../../core/texts/dates';
import { grouped } from '../../../core/texts/numbers';
import type { Deps } from '../../../deps';
import { type CampaignRow, listCampaigns, showCampaign } from '../../../use-cases/list-campaigns';
import { decodeCursor, encodeCursor } from '../../cursor';
import type { ConsoleEnv } from '../context';
import { consolePage } from './frame';

type Counts = CampaignRow['counts'];

const PAGE = 25;
const cursorSchema = z.record(z.string(), z.string().max(1024));

const brandName = (brands: Brands, id: string, locale: Locale) => brands.get(id)?.name[locale] ?? id;
const share = (c: Counts) => (c.accepted > 0 ? c.accepted - c.pending : 0);
const percentDone = (c: Counts) => (c.accepted > 0 ? Math.floor((share(c) / c.accepted) * 1000) / 10 : 0);

/** A bar of the recipients that reached an outcome (sent, skipped or failed), with its figure in words. */
export function ProgressBar({ counts, locale, id }: { counts: Counts; locale: Locale; id: string }) {
  const t = consoleTextsOf(locale).console.campaigns;
  return (
    <>
      <progress id={id} max={Math.max(1, counts.accepted)} value={share(counts)} aria-label={t.progress}>
        {t.percent(String(percentDone(counts)))}
      </progress>
      <span>{t.percent(String(percentDone(counts)))}</span>
    </>
  );
}

/** Campaigns as a table, newest first (the list and the overview's recent ones). */
export function CampaignTable({ rows, brands, locale }: { rows: CampaignRow[]; brands: Brands; locale: Locale }) {
  const t = consoleTextsOf(locale).console;
  if (!rows.length) return <p>{t.none}</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t.campaigns.id}</th>
            <th scope="col">{t.campaigns.brand}</th>
            <th scope="col">{t.campaigns.topic}</th>
            <th scope="col">{t.campaigns.created}</th>
            <th scope="col" class="num">
              {t.campaigns.accepted}
            </th>
            <th scope="col" class="num">
              {t.campaigns.sent}
            </th>
            <th scope="col">{t.campaigns.progress}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr>
              <th scope="row">
                <a href={`/console/campaigns/${encodeURIComponent(r.campaignId)}`}>{r.campaignId}</a>
              </th>
              <td>{brandName(brands, r.brand, locale)}</td>
              <td>{r.topic}</td>
              <td>{formatDate(r.createdAt, locale)}</td>
              <td class="num">{grouped(r.counts.accepted)}</td>
              <td class="num">{grouped(r.counts.sent)}</td>
              <td>
                <ProgressBar counts={r.counts} locale={locale} id={`progress-${i}`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** GET /console/campaigns and /console/campaigns/{campaignId}: both roles. */
export function campaignPages(deps: Deps) {
  const brands = deps.config.brands;
  return new Hono<ConsoleEnv>()
    .get('/console/campaigns', async (c) => {
      const locale = c.get('locale');
      const t = consoleTextsOf(locale).console;
      const cursor = c.req.query('cursor');
      const from = cursor ? decodeCursor(cursor, cursorSchema) : undefined;
      const page = await listCampaigns(deps, { limit: PAGE, ...(from ? { from } : {}) });
      return consolePage(c, {
        title: t.campaigns.title,
        section: 'campaigns',
        children: (
          <>
            <h1>{t.campaigns.title}</h1>
            <p>{t.campaigns.intro}</p>
            <CampaignTable rows={page.items} brands={brands} locale={locale} />
            {page.next ? <a href={`/console/campaigns?cursor=${encodeURIComponent(encodeCursor(page.next))}`}>{t.next}</a> : null}
          </>
        ),
      });
    })
    .get('/console/campaigns/:campaignId', async (c) => {
      const locale = c.get('locale');
      const t = consoleTextsOf(locale).console.campaigns;
      const id = c.req.param('campaignId');
      // The ids the send pipeline accepts (routes/sends.ts); anything else names no campaign.
      if (!/^[A-Za-z0-9_.-]{1,64}$/.test(id)) throw new NotFoundError('There is no campaign with this id.');
      const p = await showCampaign(deps, id);
      const d = p.definition;
      const mail = 'template' in d.mail ? t.template(d.mail.template.name) : t.subject(d.mail.content.subject);
      const counts = ['accepted', 'pending', 'sent', 'skipped', 'failed'] as const;
      return consolePage(c, {
        title: `${t.title}: ${p.campaignId}`,
        section: 'campaigns',
        children: (
          <>
            <h1>{`${t.title}: ${p.campaignId}`}</h1>
            <dl class="facts">
              <dt>{t.brand}</dt>
              <dd>{brandName(brands, d.brand, locale)}</dd>
              <dt>{t.topic}</dt>
              <dd>{`${d.topic} (${own(t.category, d.category) ?? d.category})`}</dd>
              <dt>{t.mail}</dt>
              <dd>{mail}</dd>
            </dl>
            <h2 id="progress-title">{t.progress}</h2>
            <ProgressBar counts={p.counts} locale={locale} id="progress" />
            <div class="table-wrap">
              <table>
                <caption>{t.counts}</caption>
                <tbody>
                  {counts.map((k) => (
                    <tr>
                      <th scope="row">{t[k]}</th>
                      <td class="num">{grouped(p.counts[k])}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <h2>{t.skipReasons}</h2>
            {Object.keys(p.skippedBy).length ? (
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t.reason}</th>
                      <th scope="col" class="num">
                        {t.count}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {Object.entries(p.skippedBy).map(([reason, n]) => (
                      <tr>
                        <th scope="row">
                          <code>{reason}</code>
                        </th>
                        <td class="num">{grouped(n)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p>{consoleTextsOf(locale).console.none}</p>
            )}
          </>
        ),
      });
    });
}

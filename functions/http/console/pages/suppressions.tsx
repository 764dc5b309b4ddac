import { Hono } from 'hono';
import { z } from 'zod';
import type { Brands, Locale } from '../../../core/brands';
import { ValidationError } from '../../../core/errors';
import { own } from '../../../core/own';
import { SETTABLE_REASONS, SUPPRESSION_REASONS } from '../../../core/suppressions';
import { consoleTextsOf } from '../../../core/texts/console';
import { formatDate } from '../../../core/texts/dates';
import type { Deps } from '../../../deps';
import { type ListPosition, listSuppressions, type SuppressionRow } from '../../../use-cases/list-suppressions';
import { decodeCursor, encodeCursor } from '../../cursor';
import type { ConsoleEnv } from '../context';
import { type ConsoleContext, CsrfField, consolePage, isOfficer, Notice } from './frame';
import { suppressionActions } from './suppression-actions';

const PAGE = 50;
const reasonSchema = z.enum(SUPPRESSION_REASONS);
const cursorSchema = z.object({ r: reasonSchema, k: z.record(z.string(), z.string()).optional() });

const scopeName = (brands: Brands, brand: string | null, locale: Locale) =>
  brand === null ? consoleTextsOf(locale).console.suppressions.everyBrand : (brands.get(brand)?.name[locale] ?? brand);

function Rows({ rows, brands, locale, csrf, officer }: { rows: SuppressionRow[]; brands: Brands; locale: Locale; csrf: string; officer: boolean }) {
  const t = consoleTextsOf(locale).console.suppressions;
  if (!rows.length) return <p>{consoleTextsOf(locale).console.none}</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t.email}</th>
            <th scope="col">{t.reason}</th>
            <th scope="col">{t.brand}</th>
            <th scope="col">{t.since}</th>
            <th scope="col">{t.source}</th>
            <th scope="col">{t.note}</th>
            {officer ? <th scope="col">{t.lift}</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr>
              <th scope="row">{r.email ?? t.erased}</th>
              <td>{own(t.reasons, r.reason) ?? r.reason}</td>
              <td>{scopeName(brands, r.brand, locale)}</td>
              <td>{formatDate(r.createdAt, locale)}</td>
              <td>{r.source}</td>
              <td class="typed">{r.note ?? ''}</td>
              {officer ? (
                <td>
                  {r.email && r.reason !== 'erasure' ? (
                    <form method="post" action="/console/suppressions/lift">
                      <CsrfField token={csrf} />
                      <input type="hidden" name="email" value={r.email} />
                      <input type="hidden" name="brand" value={r.brand ?? ''} />
                      <label for={`lift-reason-${i}`}>{t.liftReason}</label>
                      <input type="text" id={`lift-reason-${i}`} name="reason" required maxlength={2000} />
                      <button type="submit" class="secondary">
                        {t.lift}
                      </button>
                    </form>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AddForm({ c, brands }: { c: ConsoleContext; brands: Brands }) {
  const locale = c.get('locale');
  const t = consoleTextsOf(locale).console.suppressions;
  return (
    <form method="post" action="/console/suppressions" class="card">
      <fieldset>
        <legend>{t.add}</legend>
        <CsrfField token={c.get('csrfToken')} />
        <div class="field">
          <label for="add-email">{t.email}</label>
          <input type="email" id="add-email" name="email" required autocomplete="off" />
        </div>
        <div class="field">
          <label for="add-reason">{t.reason}</label>
          <select id="add-reason" name="reason">
            {SETTABLE_REASONS.map((r) => (
              <option value={r} selected={r === 'manual'}>
                {t.reasons[r]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="add-brand">{t.brand}</label>
          <select id="add-brand" name="brand">
            <option value="">{t.everyBrand}</option>
            {brands.list.map((b) => (
              <option value={b.id}>{b.name[locale]}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="add-note">{t.addNote}</label>
          <input type="text" id="add-note" name="note" maxlength={2000} />
        </div>
        <button type="submit">{t.add}</button>
      </fieldset>
    </form>
  );
}

function ImportForm({ c }: { c: ConsoleContext }) {
  const t = consoleTextsOf(c.get('locale')).console.suppressions;
  return (
    <form method="post" action="/console/suppressions/import" enctype="multipart/form-data" class="card">
      <fieldset>
        <legend>{t.import}</legend>
        <p>{t.importIntro}</p>
        <CsrfField token={c.get('csrfToken')} />
        <div class="field">
          <label for="import-file">{t.file}</label>
          <input type="file" id="import-file" name="file" accept=".csv,text/csv" required />
        </div>
        <button type="submit">{t.importButton}</button>
      </fieldset>
    </form>
  );
}

/**
 * GET /console/suppressions: the list, newest first, by reason, a page at a time, for both roles;
 * the officer also gets the forms to add, lift (with a reason) and import, handled in
 * suppression-actions.tsx. The CSV export is a link for both.
 */
export function suppressionPages(deps: Deps) {
  const brands = deps.config.brands;
  return new Hono<ConsoleEnv>()
    .get('/console/suppressions', async (c) => {
      const locale = c.get('locale');
      const t = consoleTextsOf(locale).console;
      const officer = isOfficer(c.get('operator'));
      const rawReason = c.req.query('reason') || undefined;
      const reason = rawReason === undefined ? undefined : reasonSchema.safeParse(rawReason).data;
      if (rawReason !== undefined && !reason) throw new ValidationError('Not a reason.', [{ path: 'reason', message: SUPPRESSION_REASONS.join(', ') }]);
      const cursor = c.req.query('cursor');
      const p = cursor ? decodeCursor(cursor, cursorSchema, (x) => !reason || x.r === reason) : undefined;
      const from: ListPosition | undefined = p ? { reason: p.r, ...(p.k ? { key: p.k } : {}) } : undefined;
      const page = await listSuppressions(deps, { ...(reason ? { reason } : {}), ...(from ? { from } : {}), limit: PAGE });
      const next = new URLSearchParams(reason ? { reason } : {});
      if (page.next) next.set('cursor', encodeCursor({ r: page.next.reason, ...(page.next.key ? { k: page.next.key } : {}) }));
      const done = c.req.query('done');
      const doneText = done ? own(t.suppressions.done, done) : undefined;
      return consolePage(c, {
        title: t.suppressions.title,
        section: 'suppressions',
        children: (
          <>
            <h1>{t.suppressions.title}</h1>
            <Notice text={doneText} />
            <p>{officer ? t.suppressions.intro : `${t.suppressions.intro} ${t.suppressions.readOnly}`}</p>
            <form method="get" action="/console/suppressions" class="filters">
              <div class="field">
                <label for="reason">{t.suppressions.reasonFilter}</label>
                <select id="reason" name="reason">
                  <option value="">{t.all}</option>
                  {SUPPRESSION_REASONS.map((r) => (
                    <option value={r} selected={r === reason}>
                      {t.suppressions.reasons[r]}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit">{t.filter}</button>
            </form>
            <p>
              <a href={`/console/suppressions/export${reason ? `?reason=${reason}` : ''}`} download="suppressions.csv">
                {t.suppressions.export}
              </a>
            </p>
            <Rows rows={page.items} brands={brands} locale={locale} csrf={c.get('csrfToken')} officer={officer} />
            {page.next ? <a href={`/console/suppressions?${next}`}>{t.next}</a> : null}
            {officer ? (
              <>
                <AddForm c={c} brands={brands} />
                <ImportForm c={c} />
              </>
            ) : null}
          </>
        ),
      });
    })
    .route('/', suppressionActions(deps));
}

import { Hono } from 'hono';
import { z } from 'zod';
import { ValidationError } from '../../../core/errors';
import { INQUIRY_STATUSES, INQUIRY_TYPES, type InquiryStatus, OPEN_STATUSES } from '../../../core/inquiry';
import { consoleTextsOf } from '../../../core/texts/console';
import type { Deps } from '../../../deps';
import { listInquiryQueue } from '../../../use-cases/officer-inquiries';
import { decodeCursor, encodeCursor } from '../../cursor';
import type { ConsoleEnv } from '../context';
import { consolePage } from './frame';
import { InquiryTable } from './inquiry-table';

const PAGE = 25;

const empty = (v: unknown) => (v === '' ? undefined : v);
const querySchema = z.object({
  status: z.preprocess(empty, z.enum(INQUIRY_STATUSES).optional()),
  brand: z.preprocess(empty, z.string().max(64).optional()),
  type: z.preprocess(empty, z.enum(INQUIRY_TYPES).optional()),
  cursor: z.preprocess(empty, z.string().max(4096).optional()),
});
const cursorSchema = z.object({ f: z.string(), p: z.partialRecord(z.enum(INQUIRY_STATUSES), z.string().max(200).nullable()) });

/** GET /console/inquiries (officer): the queue, soonest due first, filtered by a GET form. */
export function inquiryQueuePage(deps: Deps) {
  const brands = deps.config.brands;
  return new Hono<ConsoleEnv>().get('/console/inquiries', async (c) => {
    const locale = c.get('locale');
    const t = consoleTextsOf(locale);
    const q = t.console.queue;
    const parsed = querySchema.safeParse(c.req.query());
    if (!parsed.success) {
      throw new ValidationError(
        'A filter is not valid.',
        parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      );
    }
    const f = parsed.data;
    const statuses: InquiryStatus[] = f.status ? [f.status] : [...OPEN_STATUSES];
    const filters = JSON.stringify([statuses, f.brand ?? null, f.type ?? null]);
    const positions = f.cursor ? decodeCursor(f.cursor, cursorSchema, (p) => p.f === filters).p : undefined;
    const page = await listInquiryQueue(deps, {
      statuses,
      limit: PAGE,
      ...(f.brand ? { brand: f.brand } : {}),
      ...(f.type ? { type: f.type } : {}),
      ...(positions ? { positions } : {}),
    });
    const next = new URLSearchParams({
      ...(f.status ? { status: f.status } : {}),
      ...(f.brand ? { brand: f.brand } : {}),
      ...(f.type ? { type: f.type } : {}),
    });
    if (page.more) next.set('cursor', encodeCursor({ f: filters, p: page.positions }));
    return consolePage(c, {
      title: q.title,
      section: 'inquiries',
      children: (
        <>
          <h1>{q.title}</h1>
          <p>{q.intro}</p>
          <form method="get" action="/console/inquiries" class="filters">
            <div class="field">
              <label for="status">{q.status}</label>
              <select id="status" name="status">
                <option value="">{q.openOnly}</option>
                {INQUIRY_STATUSES.map((s) => (
                  <option value={s} selected={s === f.status}>
                    {t.inquiries.statuses[s]}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="brand">{q.brand}</label>
              <select id="brand" name="brand">
                <option value="">{t.console.all}</option>
                {brands.list.map((b) => (
                  <option value={b.id} selected={b.id === f.brand}>
                    {b.name[locale]}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="type">{q.type}</label>
              <select id="type" name="type">
                <option value="">{t.console.all}</option>
                {INQUIRY_TYPES.map((s) => (
                  <option value={s} selected={s === f.type}>
                    {t.inquiries.types[s]}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit">{t.console.filter}</button>
          </form>
          <InquiryTable rows={page.items} now={deps.clock.now()} brands={brands} locale={locale} />
          {page.more ? <a href={`/console/inquiries?${next}`}>{t.console.next}</a> : null}
        </>
      ),
    });
  });
}

import type { Brands, Locale } from '../../../core/brands';
import type { Inquiry } from '../../../core/inquiry';
import { consoleTextsOf } from '../../../core/texts/console';
import { formatDate } from '../../../core/texts/dates';
import { DUE_SOON_DAYS, dueState } from '../../../use-cases/inquiry-overview';

/** Overdue and soon-due marked in words (not by colour alone), beside the due date. */
export function DueFlag({ inquiry, now, locale }: { inquiry: Inquiry; now: Date; locale: Locale }) {
  const t = consoleTextsOf(locale).console.queue;
  const state = dueState(inquiry, now);
  if (state === 'overdue') return <strong class="flag overdue">{t.overdue}</strong>;
  if (state === 'due-soon') return <strong class="flag soon">{t.dueSoon(DUE_SOON_DAYS)}</strong>;
  return null;
}

/** Inquiries as rows (no message or address: those are on the inquiry's own page), each linking to it. */
export function InquiryTable({ rows, now, brands, locale }: { rows: Inquiry[]; now: Date; brands: Brands; locale: Locale }) {
  const t = consoleTextsOf(locale);
  const q = t.console.queue;
  if (!rows.length) return <p>{t.console.none}</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{q.reference}</th>
            <th scope="col">{q.brand}</th>
            <th scope="col">{q.type}</th>
            <th scope="col">{q.status}</th>
            <th scope="col">{q.received}</th>
            <th scope="col">{q.due}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((inq) => (
            <tr>
              <th scope="row">
                <a href={`/console/inquiries/${inq.reference}`}>{inq.reference}</a>
              </th>
              <td>{brands.get(inq.brand)?.name[locale] ?? inq.brand}</td>
              <td>{t.inquiries.types[inq.type]}</td>
              <td>{t.inquiries.statuses[inq.status]}</td>
              <td>{formatDate(inq.receivedAt ?? inq.createdAt, locale)}</td>
              <td>
                {formatDate(inq.dueAt, locale)} <DueFlag inquiry={inq} now={now} locale={locale} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

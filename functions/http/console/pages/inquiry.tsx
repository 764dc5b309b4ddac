import type { Brands, Locale } from '../../../core/brands';
import { type Inquiry, type InquiryEvent, OPEN_STATUSES, REASON_MAX } from '../../../core/inquiry';
import { own } from '../../../core/own';
import { consoleTextsOf } from '../../../core/texts/console';
import { formatDate } from '../../../core/texts/dates';
import { CsrfField, Notice } from './frame';
import { DueFlag } from './inquiry-table';

/** A form of the page that came back with a problem: which form, and the sentence beside it. */
export interface FormProblem {
  form: 'transition' | 'fulfil';
  /** The id of the field to put right. */
  target: string;
  message: string;
}

interface Props {
  inquiry: Inquiry;
  events: InquiryEvent[];
  brands: Brands;
  locale: Locale;
  csrf: string;
  now: Date;
  done?: string;
  problem?: FormProblem;
}

/** The result of the step the officer just took, from `?done=` (one of the known steps, else nothing). */
function doneText(done: string | undefined, inq: Inquiry, locale: Locale): string | undefined {
  if (!done) return undefined;
  const d = consoleTextsOf(locale).console.inquiry.done;
  if (done === 'extended') return d.extended(formatDate(inq.dueAt, locale));
  const text = own(d as Record<string, unknown>, done);
  return typeof text === 'string' ? text : undefined;
}

const Problem = ({ problem, form, locale }: { problem?: FormProblem; form: FormProblem['form']; locale: Locale }) =>
  problem?.form === form ? (
    <div class="error-summary" role="alert" tabindex={-1}>
      <h3>{consoleTextsOf(locale).console.errors.problem}</h3>
      <p>
        <a href={`#${problem.target}`}>{problem.message}</a>
      </p>
    </div>
  ) : null;

/** GET /console/inquiries/{reference}: the facts, the history, and only the steps its status allows. */
export function InquiryView(p: Props) {
  const t = consoleTextsOf(p.locale);
  const ti = t.console.inquiry;
  const inq = p.inquiry;
  const open = OPEN_STATUSES.includes(inq.status);
  return (
    <>
      <h1>{ti.title(inq.reference)}</h1>
      <Notice text={doneText(p.done, inq, p.locale)} />
      <h2>{ti.facts}</h2>
      <dl class="facts">
        <dt>{t.console.queue.brand}</dt>
        <dd>{p.brands.get(inq.brand)?.name[p.locale] ?? inq.brand}</dd>
        <dt>{t.console.queue.type}</dt>
        <dd>{t.inquiries.types[inq.type]}</dd>
        <dt>{t.console.queue.status}</dt>
        <dd>{t.inquiries.statuses[inq.status]}</dd>
        <dt>{ti.created}</dt>
        <dd>{formatDate(inq.createdAt, p.locale)}</dd>
        <dt>{t.console.queue.received}</dt>
        <dd>{formatDate(inq.receivedAt, p.locale)}</dd>
        <dt>{t.console.queue.due}</dt>
        <dd>
          {formatDate(inq.dueAt, p.locale)} <DueFlag inquiry={inq} now={p.now} locale={p.locale} />
        </dd>
        <dt>{ti.extended}</dt>
        <dd>{inq.extended ? ti.yes : ti.no}</dd>
        {inq.redacted ? null : (
          <>
            <dt>{ti.email}</dt>
            <dd>{inq.email}</dd>
            <dt>{ti.name}</dt>
            <dd>{inq.name ?? '-'}</dd>
            <dt>{ti.locale}</dt>
            <dd>{t.pages.layout.languageNames[inq.locale]}</dd>
          </>
        )}
        {inq.rejectionReason ? (
          <>
            <dt>{ti.rejection}</dt>
            <dd class="typed">{inq.rejectionReason}</dd>
          </>
        ) : null}
      </dl>
      {inq.redacted ? (
        <p>{ti.redacted}</p>
      ) : (
        <>
          <h3>{ti.message}</h3>
          <div class="card typed">{inq.message}</div>
        </>
      )}
      <h2>{ti.actions}</h2>
      {open ? <Actions {...p} /> : <p>{ti.noActions}</p>}
      <h2>{ti.history}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{ti.at}</th>
              <th scope="col">{ti.event}</th>
              <th scope="col">{ti.by}</th>
              <th scope="col">{ti.note}</th>
            </tr>
          </thead>
          <tbody>
            {p.events.map((e) => (
              <tr>
                <td>
                  <time datetime={e.at}>{e.at.replace('T', ' ').slice(0, 19)}</time>
                </td>
                <td>
                  <code>{e.type}</code>
                </td>
                <td>{e.by ?? '-'}</td>
                <td class="typed">{e.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Actions(p: Props) {
  const ti = consoleTextsOf(p.locale).console.inquiry;
  const inq = p.inquiry;
  const action = `/console/inquiries/${inq.reference}`;
  return (
    <>
      <Problem problem={p.problem} form="transition" locale={p.locale} />
      {inq.status === 'received' ? (
        <form method="post" action={`${action}/transitions`} class="card">
          <CsrfField token={p.csrf} />
          <input type="hidden" name="to" value="in-progress" />
          <button type="submit">{ti.toInProgress}</button>
        </form>
      ) : null}
      {inq.extended ? null : (
        <form method="post" action={`${action}/transitions`} class="card">
          <fieldset>
            <legend>{ti.extendLegend}</legend>
            <CsrfField token={p.csrf} />
            <input type="hidden" name="to" value="extended" />
            <div class="field">
              <label for="transition-reason-extend">{ti.reason}</label>
              <textarea id="transition-reason-extend" name="reason" required maxlength={REASON_MAX} />
            </div>
            <button type="submit">{ti.extend}</button>
          </fieldset>
        </form>
      )}
      <form method="post" action={`${action}/transitions`} class="card">
        <fieldset>
          <legend>{ti.rejectLegend}</legend>
          <CsrfField token={p.csrf} />
          <input type="hidden" name="to" value="rejected" />
          <div class="field">
            <label for="transition-reason">{ti.reason}</label>
            <textarea id="transition-reason" name="reason" required maxlength={REASON_MAX} />
          </div>
          <button type="submit" class="danger">
            {ti.reject}
          </button>
        </fieldset>
      </form>
      <Problem problem={p.problem} form="fulfil" locale={p.locale} />
      <FulfilForm {...p} />
    </>
  );
}

function FulfilForm(p: Props) {
  const t = consoleTextsOf(p.locale);
  const ti = t.console.inquiry;
  const inq = p.inquiry;
  const answer = inq.type === 'question' || inq.type === 'complaint';
  return (
    <form method="post" action={`/console/inquiries/${inq.reference}/fulfil`} class="card">
      <fieldset>
        <legend>{ti.fulfilLegend(t.inquiries.types[inq.type])}</legend>
        <CsrfField token={p.csrf} />
        <p>{ti.fulfilHint[inq.type]}</p>
        {inq.type === 'rectification' ? (
          <>
            <div class="field">
              <label for="fulfil-name">{ti.rectifyName}</label>
              <input type="text" id="fulfil-name" name="name" maxlength={200} autocomplete="off" />
            </div>
            <div class="field">
              <label for="fulfil-locale">{ti.rectifyLocale}</label>
              <select id="fulfil-locale" name="locale">
                <option value="">{ti.unchanged}</option>
                <option value="ja">{t.pages.layout.languageNames.ja}</option>
                <option value="en">{t.pages.layout.languageNames.en}</option>
              </select>
            </div>
          </>
        ) : null}
        {inq.type === 'erasure' ? null : (
          <div class="field">
            <label for="fulfil-note">{answer ? ti.answer : ti.noteLabel}</label>
            <textarea id="fulfil-note" name="note" maxlength={5000} required={answer} />
          </div>
        )}
        <button type="submit" class={inq.type === 'erasure' ? 'danger' : undefined}>
          {inq.type === 'erasure' ? ti.reviewErasure : ti.fulfil}
        </button>
      </fieldset>
    </form>
  );
}

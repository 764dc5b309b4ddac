import { Hono } from 'hono';
import { NotFoundError, ValidationError } from '../../../core/errors';
import { type Inquiry, MESSAGE_MAX, OPEN_STATUSES, REASON_MAX, REFERENCE_PATTERN, TRANSITION_TARGETS, type TransitionTarget } from '../../../core/inquiry';
import { consoleTextsOf } from '../../../core/texts/console';
import type { Deps } from '../../../deps';
import { fulfilInquiry } from '../../../use-cases/fulfil-inquiry';
import { showInquiry } from '../../../use-cases/officer-inquiries';
import { showSubscriber } from '../../../use-cases/show-subscriber';
import { transitionInquiry } from '../../../use-cases/transition-inquiry';
import type { ConsoleEnv } from '../context';
import { type ConsoleContext, CsrfField, consolePage, field } from './frame';
import { type FormProblem, InquiryView } from './inquiry';

const referenceOf = (c: ConsoleContext) => {
  const ref = c.req.param('reference') ?? '';
  if (!REFERENCE_PATTERN.test(ref)) throw new NotFoundError('No such inquiry.');
  return ref;
};

/** The sentence for a field the use case refused, in the page's language. */
function problemOf(err: ValidationError, form: FormProblem['form'], target: (field: string) => string, c: ConsoleContext): FormProblem {
  const p = consoleTextsOf(c.get('locale')).console.inquiry.problems;
  const path = err.details[0]?.path ?? '';
  const key = path.startsWith('fields') ? 'fields' : path;
  const message = key === 'reason' ? p.reason : key === 'note' ? p.note : key === 'fields' ? p.fields : p.other;
  return { form, target: target(key), message };
}

function tooLong(value: string, max: number, path: string) {
  if (value.length > max) throw new ValidationError('Too long.', [{ path, message: `at most ${max} characters` }]);
}

/**
 * The officer's inquiry page and its two actions. Each action is one POST through the same use
 * case as the JSON route, with the operator as `by`, then a 303 to the inquiry page, which shows
 * the result (post/redirect/get). A refused field shows the page again (400) with the message; a
 * step its status no longer allows (another officer was first) is the 409 page.
 */
export function inquiryPages(deps: Deps) {
  const render = async (c: ConsoleContext, reference: string, extra: { problem?: FormProblem; status?: number } = {}) => {
    const { inquiry, events } = await showInquiry(deps, reference);
    const done = c.req.method === 'GET' ? c.req.query('done') : undefined;
    return consolePage(c, {
      title: consoleTextsOf(c.get('locale')).console.inquiry.title(reference),
      section: 'inquiries',
      ...(extra.status ? { status: extra.status } : {}),
      children: (
        <InquiryView
          inquiry={inquiry}
          events={events}
          brands={deps.config.brands}
          locale={c.get('locale')}
          csrf={c.get('csrfToken')}
          now={deps.clock.now()}
          {...(done ? { done } : {})}
          {...(extra.problem ? { problem: extra.problem } : {})}
        />
      ),
    });
  };
  const back = (c: ConsoleContext, reference: string, done: string) => c.redirect(`/console/inquiries/${reference}?done=${done}`, 303);

  return new Hono<ConsoleEnv>()
    .get('/console/inquiries/:reference', (c) => render(c, referenceOf(c)))
    .post('/console/inquiries/:reference/transitions', async (c) => {
      const reference = referenceOf(c);
      const form = await c.req.formData();
      const to = field(form, 'to');
      if (!(TRANSITION_TARGETS as readonly string[]).includes(to)) {
        throw new ValidationError('Not a step.', [{ path: 'to', message: `one of ${TRANSITION_TARGETS.join(', ')}` }]);
      }
      const reason = field(form, 'reason');
      const note = field(form, 'note');
      tooLong(reason, REASON_MAX, 'reason');
      tooLong(note, MESSAGE_MAX, 'note');
      try {
        await transitionInquiry(deps, {
          reference,
          to: to as TransitionTarget,
          by: c.get('operator').username,
          ...(reason ? { reason } : {}),
          ...(note ? { note } : {}),
        });
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        const target = () => (to === 'extended' ? 'transition-reason-extend' : 'transition-reason');
        return render(c, reference, { problem: problemOf(err, 'transition', target, c), status: 400 });
      }
      return back(c, reference, to);
    })
    .post('/console/inquiries/:reference/fulfil', async (c) => {
      const reference = referenceOf(c);
      const form = await c.req.formData();
      const { inquiry } = await showInquiry(deps, reference);
      if (inquiry.type === 'erasure' && OPEN_STATUSES.includes(inquiry.status) && field(form, 'confirm') !== 'erase') return confirmErasure(c, deps, inquiry);
      const note = field(form, 'note');
      tooLong(note, MESSAGE_MAX, 'note');
      const name = field(form, 'name').trim();
      const locale = field(form, 'locale');
      if (locale && locale !== 'ja' && locale !== 'en') throw new ValidationError('Not a language.', [{ path: 'fields.locale', message: 'ja or en' }]);
      const fields = inquiry.type === 'rectification' ? { ...(name ? { name } : {}), ...(locale ? { locale: locale as 'ja' | 'en' } : {}) } : undefined;
      try {
        await fulfilInquiry(deps, { reference, by: c.get('operator').username, ...(note ? { note } : {}), ...(fields ? { fields } : {}) });
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        const target = (key: string) => (key === 'fields' ? 'fulfil-name' : 'fulfil-note');
        return render(c, reference, { problem: problemOf(err, 'fulfil', target, c), status: 400 });
      }
      return back(c, reference, 'completed');
    });
}

/** The erasure's first step: what it will remove, and a form that confirms it (the second step). */
async function confirmErasure(c: ConsoleContext, deps: Deps, inquiry: Inquiry) {
  const locale = c.get('locale');
  const t = consoleTextsOf(locale).console.erasure;
  let held: Awaited<ReturnType<typeof showSubscriber>> | undefined;
  try {
    held = inquiry.email ? await showSubscriber(deps, { email: inquiry.email }) : undefined;
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
  const brands = Object.keys(held?.profile?.brands ?? {}).map((b) => deps.config.brands.get(b)?.name[locale] ?? b);
  const others = (held?.inquiryRefs ?? []).filter((r) => r !== inquiry.reference).length;
  const lines = held
    ? [
        ...(held.profile ? [t.profile] : []),
        ...(brands.length ? [t.brands(brands.join(', '))] : []),
        t.ledger(held.ledger.length),
        t.sends(held.sends.length),
        t.inquiries(others),
      ]
    : [];
  return consolePage(c, {
    title: t.title(inquiry.reference),
    section: 'inquiries',
    children: (
      <>
        <h1>{t.title(inquiry.reference)}</h1>
        <p>{t.intro}</p>
        {lines.length ? (
          <ul>
            {lines.map((l) => (
              <li>{l}</li>
            ))}
          </ul>
        ) : (
          <p>{t.nothing}</p>
        )}
        <p>{t.kept}</p>
        <form method="post" action={`/console/inquiries/${inquiry.reference}/fulfil`} class="actions">
          <CsrfField token={c.get('csrfToken')} />
          <input type="hidden" name="confirm" value="erase" />
          <button type="submit" class="danger">
            {t.confirm}
          </button>
          <a href={`/console/inquiries/${inquiry.reference}`}>{t.back}</a>
        </form>
      </>
    ),
  });
}

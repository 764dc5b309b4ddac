import { Hono } from 'hono';
import type { Locale } from '../../../core/brands';
import { NotFoundError, ValidationError } from '../../../core/errors';
import { isRedacted } from '../../../core/ledger';
import { own } from '../../../core/own';
import { consoleTextsOf } from '../../../core/texts/console';
import { formatDate } from '../../../core/texts/dates';
import type { Deps } from '../../../deps';
import { lookUpSubscriber } from '../../../use-cases/look-up-subscriber';
import type { ConsoleEnv } from '../context';
import { type ConsoleContext, CsrfField, consolePage, field } from './frame';

type Found = Awaited<ReturnType<typeof lookUpSubscriber>>;

function LookUpForm({ c, email, problem }: { c: ConsoleContext; email?: string; problem?: string }) {
  const t = consoleTextsOf(c.get('locale')).console.subscriber;
  return (
    <form method="post" action="/console/subscribers" class="card">
      <CsrfField token={c.get('csrfToken')} />
      <div class={problem ? 'field field-invalid' : 'field'}>
        <label for="email">{t.email}</label>
        {problem ? (
          <p id="email-error" class="field-message">
            {problem}
          </p>
        ) : null}
        <input
          type="email"
          id="email"
          name="email"
          required
          autocomplete="off"
          value={email ?? ''}
          {...(problem ? { 'aria-invalid': 'true', 'aria-describedby': 'email-error' } : {})}
        />
      </div>
      <button type="submit">{t.lookUp}</button>
    </form>
  );
}

const Table = ({ caption, head, rows }: { caption: string; head: string[]; rows: (string | number)[][] }) => (
  <div class="table-wrap">
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {head.map((h) => (
            <th scope="col">{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr>
            {r.map((cell) => (
              <td>{String(cell)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

function Records({ found, email, locale }: { found: Found; email: string; locale: Locale }) {
  const t = consoleTextsOf(locale).console.subscriber;
  const p = found.profile;
  const topics = Object.entries(p?.brands ?? {}).flatMap(([brand, b]) => Object.entries(b.topics).map(([topic, s]) => [brand, topic, s.state, s.at]));
  const verdict = found.verdict;
  return (
    <section aria-labelledby="records-title">
      <h2 id="records-title">{email}</h2>
      <div class={verdict && !verdict.ok ? 'error' : 'notice'} role="status">
        <p>{verdict ? (verdict.ok ? t.ledgerOk(found.ledger.length - found.unsealed) : t.ledgerBad(verdict.seq, verdict.problem)) : t.ledgerNone}</p>
        {found.unsealed ? <p>{t.unsealed(found.unsealed)}</p> : null}
        {found.consentProof ? <p>{t.proofHeld(formatDate(found.consentProof.deleteAfter, locale))}</p> : null}
      </div>
      {p ? (
        <dl class="facts">
          <dt>{t.status}</dt>
          <dd>{own(t.statuses, p.status) ?? p.status}</dd>
          <dt>{t.name}</dt>
          <dd>{p.name ?? '-'}</dd>
        </dl>
      ) : (
        <p>{t.noProfile}</p>
      )}
      <Table caption={t.topics} head={[t.brand, t.topic, t.state, t.since]} rows={topics} />
      <Table caption={t.suppressions} head={[t.brand, t.reason, t.source, t.since]} rows={found.suppressions.map((s) => [s.scope, s.reason, s.source, s.at])} />
      <Table
        caption={t.ledger}
        head={['#', t.event, t.source, t.since]}
        rows={found.ledger.map((e) => (isRedacted(e) ? [e.seq, t.redacted, '-', '-'] : [e.seq, e.type, e.source, e.at]))}
      />
      <Table
        caption={t.sends}
        head={[t.since, t.brand, t.topic, t.campaign]}
        rows={found.sends.map((s) => [String(s.at ?? ''), String(s.brand ?? ''), String(s.topic ?? ''), String(s.campaignId ?? '')])}
      />
      <h3>{t.inquiries}</h3>
      {found.inquiryRefs.length ? (
        <ul>
          {found.inquiryRefs.map((r) => (
            <li>
              <a href={`/console/inquiries/${encodeURIComponent(r)}`}>{r}</a>
            </li>
          ))}
        </ul>
      ) : (
        <p>{consoleTextsOf(locale).console.none}</p>
      )}
      {found.other.length ? <Table caption={t.other} head={['sk']} rows={found.other.map((o) => [String(o.sk ?? '')])} /> : null}
    </section>
  );
}

/**
 * GET and POST /console/subscribers (officer): the address travels in the POST body only, never in
 * a URL (URLs end up in logs and browser history), and the answer is never cached.
 */
export function subscriberPages(deps: Deps) {
  return new Hono<ConsoleEnv>()
    .get('/console/subscribers', (c) => {
      const t = consoleTextsOf(c.get('locale')).console.subscriber;
      return consolePage(c, {
        title: t.title,
        section: 'subscribers',
        children: (
          <>
            <h1>{t.title}</h1>
            <p>{t.intro}</p>
            <LookUpForm c={c} />
          </>
        ),
      });
    })
    .post('/console/subscribers', async (c) => {
      const t = consoleTextsOf(c.get('locale')).console.subscriber;
      const email = field(await c.req.formData(), 'email');
      let found: Found;
      try {
        found = await lookUpSubscriber(deps, { email });
      } catch (err) {
        // The form again with what was typed and why, rather than an error page without it.
        const problem = err instanceof ValidationError ? t.invalid : err instanceof NotFoundError ? t.nothingHeld : undefined;
        if (!problem) throw err;
        return consolePage(c, {
          title: t.title,
          section: 'subscribers',
          status: err instanceof ValidationError ? 400 : 404,
          children: (
            <>
              <h1>{t.title}</h1>
              <LookUpForm c={c} email={email} problem={problem} />
            </>
          ),
        });
      }
      c.get('log').info('subscriber shown', { ledger: found.ledger.length, suppressions: found.suppressions.length });
      return consolePage(c, {
        title: t.title,
        section: 'subscribers',
        children: (
          <>
            <h1>{t.title}</h1>
            <LookUpForm c={c} email={email} />
            <Records found={found} email={found.profile?.email ?? email} locale={c.get('locale')} />
          </>
        ),
      });
    });
}

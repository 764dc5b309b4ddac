import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { Locale } from '../../../core/brands';
import { consoleTextsOf } from '../../../core/texts/console';
import { Layout, langLinks } from '../../pages/layout';
import { type ConsoleEnv, CSRF_FIELD, type Operator } from '../context';
import { mayUse } from '../roles';

export type ConsoleContext = Context<ConsoleEnv>;

export type Section = 'overview' | 'inquiries' | 'subscribers' | 'suppressions' | 'campaigns';

const SECTIONS: { id: Section; href: string }[] = [
  { id: 'overview', href: '/console' },
  { id: 'inquiries', href: '/console/inquiries' },
  { id: 'subscribers', href: '/console/subscribers' },
  { id: 'suppressions', href: '/console/suppressions' },
  { id: 'campaigns', href: '/console/campaigns' },
];

export const isOfficer = (operator: Operator) => operator.roles.includes('officer');

/** The token every form that changes something carries; the sign-in middleware checks it on each POST. */
export const CsrfField = ({ token }: { token: string }) => <input type="hidden" name={CSRF_FIELD} value={token} />;

function ConsoleHeader({ operator, locale, csrf, current }: { operator: Operator; locale: Locale; csrf: string; current?: Section }) {
  const t = consoleTextsOf(locale).console;
  return (
    <header class="site console">
      <strong>{t.title}</strong>
      <nav aria-label={t.nav.label}>
        <ul>
          {SECTIONS.filter((s) => mayUse(operator, 'GET', s.href)).map((s) => (
            <li>
              <a href={s.href} aria-current={s.id === current ? 'page' : undefined}>
                {t.nav[s.id]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form method="post" action="/console/logout">
        <span>
          {t.nav.signedInAs(operator.username)} ({operator.roles.map((r) => t.roles[r]).join(', ')})
        </span>
        <CsrfField token={csrf} />
        <button type="submit" class="secondary">
          {t.nav.signOut}
        </button>
      </form>
    </header>
  );
}

/** A console page: the console's header (menu, who is signed in, sign-out), the language switch, a wide column. */
export function consolePage(c: ConsoleContext, p: { title: string; section?: Section; status?: number; children: Child }) {
  const locale = c.get('locale');
  const url = new URL(c.req.url);
  // A page answering a POST (a look-up, an import report) cannot be asked for again by a link: its switch goes to its section.
  const here = c.req.method === 'GET' ? `${url.pathname}${url.search}` : (SECTIONS.find((s) => s.id === p.section)?.href ?? '/console');
  return c.html(
    <Layout
      title={`${p.title} | ${consoleTextsOf(locale).console.title}`}
      locale={locale}
      wide
      langLinks={langLinks(here)}
      header={<ConsoleHeader operator={c.get('operator')} locale={locale} csrf={c.get('csrfToken')} {...(p.section ? { current: p.section } : {})} />}
    >
      {p.children}
    </Layout>,
    (p.status ?? 200) as 200,
  );
}

/** The one-line result of the step a POST took, shown by the page it redirected to. */
export const Notice = ({ text }: { text: string | undefined }) =>
  text ? (
    <div class="notice" role="status">
      <p>{text}</p>
    </div>
  ) : null;

/** The first value of a form field as text ('' when absent or a file). */
export const field = (form: FormData, name: string): string => {
  const v = form.get(name);
  return typeof v === 'string' ? v : '';
};

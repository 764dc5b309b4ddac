import type { Context, MiddlewareHandler } from 'hono';
import type { Child } from 'hono/jsx';
import type { Locale } from '../../../core/brands';
import { ForbiddenError } from '../../../core/errors';
import { consoleTextsOf } from '../../../core/texts/console';
import { Layout, langLinks } from '../../pages/layout';
import { type ConsoleEnv, CSRF_FIELD, type Operator } from '../context';

export type ConsoleContext = Context<ConsoleEnv>;

export type Section = 'overview' | 'inquiries' | 'subscribers' | 'suppressions' | 'campaigns';

const SECTIONS: { id: Section; href: string; officerOnly: boolean }[] = [
  { id: 'overview', href: '/console', officerOnly: false },
  { id: 'inquiries', href: '/console/inquiries', officerOnly: true },
  { id: 'subscribers', href: '/console/subscribers', officerOnly: true },
  { id: 'suppressions', href: '/console/suppressions', officerOnly: false },
  { id: 'campaigns', href: '/console/campaigns', officerOnly: false },
];

export const isOfficer = (operator: Operator) => operator.roles.includes('officer');

/**
 * The privacy officer's pages and actions: anyone else signed in gets 403 before anything is
 * read, so a marketing account never sees an inquiry or what is held about an address.
 */
export const officerOnly: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  if (!isOfficer(c.get('operator'))) throw new ForbiddenError('This page is for privacy officers.');
  await next();
};

/** The token every form that changes something carries; the sign-in middleware checks it on each POST. */
export const CsrfField = ({ token }: { token: string }) => <input type="hidden" name={CSRF_FIELD} value={token} />;

function ConsoleHeader({ operator, locale, csrf, current }: { operator: Operator; locale: Locale; csrf: string; current?: Section }) {
  const t = consoleTextsOf(locale).console;
  const officer = isOfficer(operator);
  return (
    <header class="site console">
      <strong>{t.title}</strong>
      <nav aria-label={t.nav.label}>
        <ul>
          {SECTIONS.filter((s) => officer || !s.officerOnly).map((s) => (
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

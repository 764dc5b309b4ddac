import type { Brand, Locale } from '../../core/brands';
import type { SubscriptionState } from '../../core/subscriber';
import { textsOf } from '../../core/texts';
import { Layout, langLinks } from './layout';

/**
 * Pages of the subscription flows: the preference center and the confirmation pages. Texts come
 * from the catalogue (core/texts); every value interpolated by hono/jsx is escaped.
 */
export interface PreferencePageProps {
  brand: Brand;
  locale: Locale;
  token: string;
  email?: string;
  topics: { id: string; label: string; state: SubscriptionState }[];
  /** The topic of the mail the link came from, offered first. */
  topic?: string;
  resubscribable: { id: string; label: string }[];
  wording: string;
  saved: boolean;
}

/** GET /u/{token}: each topic's state, save choices, unsubscribe from all, resubscribe. */
export function PreferencePage(p: PreferencePageProps) {
  const t = textsOf(p.locale).pages.preferences;
  const listSeparator = textsOf(p.locale).pages.listSeparator;
  const brandName = p.brand.name[p.locale];
  const action = `/u/${p.token}/preferences?lang=${p.locale}`;
  return (
    <Layout title={t.title} locale={p.locale} brand={p.brand} langLinks={langLinks(`/u/${p.token}`)}>
      <h1>{t.title}</h1>
      {p.saved ? (
        <div class="notice" role="status">
          <p>{t.saved}</p>
          {/* Said only when it holds: every topic of the brand is off, whichever button did it. */}
          {p.topics.every((topic) => topic.state === 'unsubscribed') ? <p>{t.allStopped(brandName)}</p> : null}
        </div>
      ) : null}
      {p.email ? (
        <p>
          {t.address}: <strong>{p.email}</strong>
        </p>
      ) : null}
      <TopicFirst {...p} />
      <form method="post" action={action} class="card">
        <fieldset>
          <legend>{t.legend(brandName)}</legend>
          {p.topics.map((topic) => (
            <div class="check">
              <input
                type="checkbox"
                id={`topic-${topic.id}`}
                name="topics"
                value={topic.id}
                checked={topic.state !== 'unsubscribed'}
                aria-describedby={`state-${topic.id}`}
              />
              {/* The state is the checkbox's description, not part of its name. */}
              <div>
                <label for={`topic-${topic.id}`}>{topic.label}</label>
                <span class="state" id={`state-${topic.id}`} data-state={topic.state}>
                  {t.states[topic.state]}
                </span>
              </div>
            </div>
          ))}
        </fieldset>
        <p class="state">{p.wording}</p>
        <p class="state">{t.optInNote}</p>
        <div class="actions">
          <button type="submit" name="action" value="save">
            {t.save}
          </button>
        </div>
      </form>
      <form method="post" action={action} class="card">
        <h2>{t.allLegend}</h2>
        <div class="actions">
          <button type="submit" name="action" value="unsubscribe-all" class="danger">
            {t.unsubscribeAll(brandName)}
          </button>
        </div>
      </form>
      <form method="post" action={action} class="card">
        <h2>{t.resubLegend}</h2>
        {p.resubscribable.length ? (
          <div class="actions">
            <button type="submit" name="action" value="resubscribe" class="secondary">
              {t.resubscribe(p.resubscribable.map((r) => r.label).join(listSeparator))}
            </button>
          </div>
        ) : (
          <p>{t.resubNone}</p>
        )}
      </form>
    </Layout>
  );
}

/**
 * The mail's own topic first: its unsubscribe is the RFC 8058 one-click of the same link, so the
 * button does what the mail client's unsubscribe would, with no other choice to make first.
 */
function TopicFirst(p: PreferencePageProps) {
  const t = textsOf(p.locale).pages.preferences;
  const topic = p.topics.find((x) => x.id === p.topic);
  if (!topic) return null;
  return (
    <form method="post" action={`/u/${p.token}?lang=${p.locale}`} class="card" id="topic-first">
      <h2>{t.topicLegend(topic.label)}</h2>
      {topic.state === 'unsubscribed' ? (
        <p>{t.topicStopped(topic.label)}</p>
      ) : (
        <div class="actions">
          <input type="hidden" name="List-Unsubscribe" value="One-Click" />
          <button type="submit" class="danger">
            {t.unsubscribeTopic(topic.label)}
          </button>
        </div>
      )}
    </form>
  );
}

export interface ConfirmPageProps {
  brand: Brand;
  locale: Locale;
  token: string;
  topicLabels: string[];
  wording: string;
  policyVersion: string;
}

/** GET /confirm/{token}: what is being confirmed, the consent sentence and policy version, the button. */
export function ConfirmPage(p: ConfirmPageProps) {
  const t = textsOf(p.locale).pages.confirm;
  return (
    <Layout title={t.title} locale={p.locale} brand={p.brand} langLinks={langLinks(`/confirm/${p.token}`)}>
      <h1>{t.title}</h1>
      <p>{t.intro(p.brand.name[p.locale])}</p>
      <ul>
        {p.topicLabels.map((l) => (
          <li>{l}</li>
        ))}
      </ul>
      <form method="post" action={`/confirm/${p.token}?lang=${p.locale}`} class="card">
        <input type="hidden" name="locale" value={p.locale} />
        <p id="consent-wording">{p.wording}</p>
        <p class="state">
          {t.policyVersion}: {p.policyVersion}
        </p>
        <div class="actions">
          <button type="submit" aria-describedby="consent-wording">
            {t.button}
          </button>
        </div>
      </form>
    </Layout>
  );
}

/** After POST /confirm/{token}, with a link to the preference center. */
export function ConfirmedPage(p: { brand: Brand; locale: Locale; topicLabels: string[]; manageUrl: string }) {
  const t = textsOf(p.locale).pages.confirmed;
  return (
    <Layout title={t.title} locale={p.locale} brand={p.brand}>
      <h1>{t.title}</h1>
      <p class="notice" role="status">
        {t.body(p.brand.name[p.locale])}
      </p>
      <ul>
        {p.topicLabels.map((l) => (
          <li>{l}</li>
        ))}
      </ul>
      <p>
        <a href={p.manageUrl}>{t.manage}</a>
      </p>
    </Layout>
  );
}

/** An expired confirmation link: asks for the address (the token never holds it) to send a new mail. */
export function ConfirmExpiredPage(p: { brand: Brand; locale: Locale; topics: string[] }) {
  const texts = textsOf(p.locale);
  const t = texts.pages.confirmExpired;
  return (
    <Layout title={texts.errors.expired.title} locale={p.locale} brand={p.brand}>
      <h1>{texts.errors.expired.title}</h1>
      <p>{t.body}</p>
      <form method="post" action="/v1/subscriptions" class="card">
        <input type="hidden" name="brand" value={p.brand.id} />
        <input type="hidden" name="locale" value={p.locale} />
        {p.topics.map((topic) => (
          <input type="hidden" name="topics" value={topic} />
        ))}
        <div class="field">
          <label for="email">{texts.pages.subscribe.emailLabel}</label>
          <input type="email" id="email" name="email" required autocomplete="email" />
        </div>
        <div class="actions">
          <button type="submit">{t.resend}</button>
        </div>
      </form>
    </Layout>
  );
}

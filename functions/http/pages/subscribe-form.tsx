import type { Brands } from '../../core/brands';
import { textsOf } from '../../core/texts';
import { BrandField, ErrorSummary, FieldMessage, fieldClass, invalid, problemsOf, titleOf } from './form-fields';
import type { FormAgain } from './html-errors';
import { Layout } from './layout';

/** The subscription form's fields as a person meets them, in order: name → the id a summary links to. */
const fieldsOf = (firstTopic: string): [string, string][] => [
  ['brand', 'brand'],
  ['email', 'email'],
  ['topics', `topic-${firstTopic}`],
];

/**
 * A browser's POST /v1/subscriptions with bad fields, shown again: the brand (a choice when it
 * was unknown), the address as typed, the topics ticked as sent, the form's source kept, and a
 * message beside each bad field. The forms that post here live on the sites and on the expired
 * confirmation page; this is the one form all of them come back to.
 */
export function SubscribeFormPage({ brands, again }: { brands: Brands; again: FormAgain }) {
  const { typed, issues, brand, locale } = again;
  const t = textsOf(locale).pages.subscribe;
  // An unknown brand has no topics of its own: every topic any brand offers.
  const topics = brand ? brand.topics : [...new Set(brands.list.flatMap((b) => b.topics))];
  const problems = problemsOf(issues, typed, fieldsOf(topics[0] ?? ''), locale);
  const ticked = new Set(typed.all('topics'));
  const source = issues.some((i) => i.path === 'source') ? '' : typed.one('source');
  return (
    <Layout title={titleOf(t.title, locale, problems)} locale={locale} {...(brand ? { brand } : {})}>
      <h1>{t.title}</h1>
      <ErrorSummary locale={locale} problems={problems} />
      <form method="post" action="/v1/subscriptions" class="card">
        <BrandField brands={brands} brandId={brand?.id ?? typed.one('brand')} locale={locale} problems={problems} />
        <input type="hidden" name="locale" value={locale} />
        {source ? <input type="hidden" name="source" value={source} /> : null}
        <div class={fieldClass(problems, 'email')}>
          <label for="email">{t.emailLabel}</label>
          <FieldMessage id="email" name="email" locale={locale} problems={problems} />
          <input type="email" id="email" name="email" value={typed.one('email')} required autocomplete="email" {...invalid(problems, 'email', 'email')} />
        </div>
        <fieldset class={fieldClass(problems, 'topics')} {...(problems.byField.has('topics') ? { 'aria-describedby': 'topics-error' } : {})}>
          <legend>{t.topicsLegend}</legend>
          <FieldMessage id="topics" name="topics" locale={locale} problems={problems} />
          {topics.map((topic) => (
            <div class="check">
              <input type="checkbox" id={`topic-${topic}`} name="topics" value={topic} checked={ticked.has(topic)} />
              <label for={`topic-${topic}`}>{brands.topicLabel(topic, locale)}</label>
            </div>
          ))}
        </fieldset>
        <div class="actions">
          <button type="submit">{t.submit}</button>
        </div>
      </form>
    </Layout>
  );
}

import type { Brands, Locale } from '../../core/brands';
import type { FieldIssue } from '../../core/errors';
import { MESSAGE_MAX, NAME_MAX } from '../../core/inquiry';
import { textsOf } from '../../core/texts';

/**
 * A form shown again after bad fields (GOV.UK "Error message" and "Error summary"): what was
 * typed, a message beside each bad field saying how to put it right, and a summary at the top
 * linking to each field. Messages come from the catalogue by field and problem, never from the
 * validator's codes.
 */
export interface Typed {
  /** The first value of a field as typed ('' when absent or not text). */
  one(name: string): string;
  /** Every value of a repeated field (checkboxes). */
  all(name: string): string[];
}

export const typedOf = (form: FormData): Typed => ({
  one: (name) => {
    const v = form.get(name);
    return typeof v === 'string' ? v : '';
  },
  all: (name) => form.getAll(name).filter((v): v is string => typeof v === 'string'),
});

export interface FormProblems {
  /** The message beside each bad field the form shows. */
  byField: Map<string, string>;
  /** In the form's order; `href` is the field to go to, absent for what the form does not show. */
  summary: { href?: string; text: string }[];
}

/** The bad fields of `issues`, for a form whose visible fields are `fields` (name → the id to link to), in its order. */
export function problemsOf(issues: FieldIssue[], typed: Typed, fields: [string, string][], locale: Locale): FormProblems {
  const t = textsOf(locale).errors;
  const bad = new Set(issues.map((i) => /^[^[.]*/.exec(i.path)?.[0] ?? ''));
  const byField = new Map<string, string>();
  const summary: FormProblems['summary'] = [];
  for (const [name, id] of fields) {
    const text = bad.has(name) ? messageFor(name, typed, locale) : undefined;
    if (!text) continue;
    byField.set(name, text);
    summary.push({ href: `#${id}`, text });
  }
  if ([...bad].some((name) => !byField.has(name))) summary.push({ text: t.form.unreadable });
  return { byField, summary };
}

function messageFor(name: string, typed: Typed, locale: Locale): string | undefined {
  const f = textsOf(locale).errors.fields;
  const value = typed.one(name).trim();
  switch (name) {
    case 'brand':
      return f.brand.invalid;
    case 'type':
      return f.type.invalid;
    case 'email':
      return value ? f.email.invalid : f.email.missing;
    case 'name':
      return f.name.tooLong(NAME_MAX);
    case 'message':
      return value.length > MESSAGE_MAX ? f.message.tooLong(MESSAGE_MAX) : f.message.missing;
    case 'topics':
      return typed.all('topics').length ? f.topics.invalid : f.topics.missing;
    default:
      return undefined;
  }
}

export function ErrorSummary({ locale, problems }: { locale: Locale; problems?: FormProblems }) {
  if (!problems?.summary.length) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
      <h2 id="error-summary-title">{textsOf(locale).errors.form.summaryTitle}</h2>
      <ul>
        {problems.summary.map((s) => (
          <li>{s.href ? <a href={s.href}>{s.text}</a> : s.text}</li>
        ))}
      </ul>
    </div>
  );
}

/** The message beside a field; the field names it in `aria-describedby` (see `invalid`). */
export function FieldMessage({ id, locale, problems, name }: { id: string; locale: Locale; problems?: FormProblems; name: string }) {
  const text = problems?.byField.get(name);
  if (!text) return null;
  return (
    <p id={`${id}-error`} class="field-message">
      <span class="visually-hidden">{textsOf(locale).errors.form.prefix}</span>
      {text}
    </p>
  );
}

/** The attributes of a field that has a message. */
export const invalid = (problems: FormProblems | undefined, name: string, id: string) =>
  problems?.byField.has(name) ? { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` } : {};

export const fieldClass = (problems: FormProblems | undefined, name: string) => (problems?.byField.has(name) ? 'field field-invalid' : 'field');

/** The page title of a form shown again: GOV.UK puts "Error:" first so that a screen reader hears it at once. */
export const titleOf = (title: string, locale: Locale, problems?: FormProblems) =>
  problems?.summary.length ? `${textsOf(locale).errors.form.prefix}${title}` : title;

/**
 * The brand of a form: a hidden field when the form named a known brand, else a choice of every
 * brand with the message beside it.
 */
export function BrandField({ brands, brandId, locale, problems }: { brands: Brands; brandId: string | undefined; locale: Locale; problems?: FormProblems }) {
  const t = textsOf(locale);
  if (brandId && brands.get(brandId) && !problems?.byField.has('brand')) return <input type="hidden" name="brand" value={brandId} />;
  return (
    <div class={fieldClass(problems, 'brand')}>
      <label for="brand">{t.pages.subscribe.brandLabel}</label>
      <FieldMessage id="brand" name="brand" locale={locale} problems={problems} />
      <select id="brand" name="brand" required {...invalid(problems, 'brand', 'brand')}>
        <option value="">{t.pages.subscribe.chooseBrand}</option>
        {brands.list.map((b) => (
          <option value={b.id} selected={b.id === brandId}>
            {b.name[locale]}
          </option>
        ))}
      </select>
    </div>
  );
}

import { array, type Check, email, object, oneOf, optional, parse, record, refine, string, url } from './check';
import { StartupError, ValidationError } from './errors';
import { own } from './own';

/**
 * The brands (sites) that share one privacy policy, from one validated file. A bad file fails at
 * start with the path of the offending field, never later in a request.
 */
export const LOCALES = ['ja', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

interface Localized {
  ja: string;
  en: string;
}

export interface Brand {
  id: string;
  name: Localized;
  /** Scheme and host, without a path. */
  origin: string;
  /** `Name <local@domain>` or `local@domain`. */
  from: string;
  replyTo?: string;
  privacyPolicyUrl: string;
  locales: Locale[];
  defaultLocale: Locale;
  topics: string[];
  /**
   * Who legally sends the brand's mail, for the footer of every marketing mail (CAN-SPAM
   * 15 U.S.C. 7704(a)(5); the Act on Specified Electronic Mail, Art. 4, ordinance Art. 9). A value the privacy policy
   * does not give starts with `TODO:` until an operator fills it in (docs/operations.md).
   */
  sender: { legalName: Localized; postalAddress: Localized; contact: string };
  /** What the brand's transactional mail may be for; a transactional send names one. */
  transactionalPurposes: string[];
}

export interface BrandsFile {
  brands: Brand[];
  topicLabels: Record<string, Localized>;
}

const localized = object({ ja: string({ min: 1 }), en: string({ min: 1 }) }, true);
const slug = (message: string) => string({ pattern: /^[a-z][a-z0-9-]{0,31}$/, message });
const topicId = slug('a topic id is lowercase letters, digits and dashes');
const mailbox = string({
  min: 3,
  max: 200,
  pattern: /^[^\r\n<>]*<[^\s@<>]+@[^\s@<>]+>$|^[^\s@<>]+@[^\s@<>]+$/,
  message: 'a From address is "Name <local@domain>" or "local@domain"',
});
const origin = refine(url, (u, report) => {
  if (!/^https?:\/\/[^/]+$/.test(u)) report('an origin is scheme and host, without a path');
});

const brandCheck: Check<Brand> = refine(
  object(
    {
      id: slug('a brand id is lowercase letters, digits and dashes'),
      name: localized,
      origin,
      from: mailbox,
      replyTo: optional(email),
      privacyPolicyUrl: url,
      locales: array(oneOf(LOCALES), 1),
      defaultLocale: oneOf(LOCALES),
      topics: array(topicId, 1),
      sender: object({ legalName: localized, postalAddress: localized, contact: url }, true),
      transactionalPurposes: array(slug('a purpose is lowercase letters, digits and dashes'), 1),
    },
    true,
  ),
  (b, report) => {
    if (!b.locales.includes(b.defaultLocale)) report('defaultLocale must be one of locales', 'defaultLocale');
    if (new Set(b.topics).size !== b.topics.length) report('topics must not repeat', 'topics');
  },
);

const fileCheck: Check<BrandsFile> = refine(object({ brands: array(brandCheck, 1), topicLabels: record(topicId, localized) }, true), (file, report) => {
  const seen = new Set<string>();
  file.brands.forEach((b, i) => {
    if (seen.has(b.id)) report(`duplicate brand id "${b.id}"`, 'brands', i, 'id');
    seen.add(b.id);
    b.topics.forEach((t, j) => {
      if (!own(file.topicLabels, t)) report(`topic "${t}" has no label`, 'brands', i, 'topics', j);
    });
  });
});

export class BrandsConfigError extends StartupError {
  constructor(readonly issues: { path: string; message: string }[]) {
    super(`invalid brands config: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

export interface Brands {
  list: readonly Brand[];
  get(id: string): Brand | undefined;
  /** The brand, or `ValidationError` naming the field and the brands there are. */
  require(id: string, path?: string): Brand;
  /** The one sentence for a brand id that is none of ours. */
  unknownMessage: string;
  topicLabel(topic: string, locale: Locale): string;
  isTopicOf(brandId: string, topic: string): boolean;
}

export function parseBrands(input: unknown): Brands {
  const result = parse(fileCheck, input);
  if (!result.ok) throw new BrandsConfigError(result.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
  const file = result.value;
  const byId = new Map(file.brands.map((b) => [b.id, b]));
  const unknownMessage = `unknown brand; one of ${file.brands.map((b) => b.id).join(', ')}`;
  return {
    list: file.brands,
    get: (id) => byId.get(id),
    require: (id, path = 'brand') => {
      const brand = byId.get(id);
      if (!brand) throw new ValidationError('Unknown brand.', [{ path, message: unknownMessage }]);
      return brand;
    },
    unknownMessage,
    topicLabel: (topic, locale) => own(file.topicLabels, topic)?.[locale] ?? topic,
    isTopicOf: (brandId, topic) => byId.get(brandId)?.topics.includes(topic) ?? false,
  };
}

/** `['brands', 2, 'topics', 0]` → `brands[2].topics[0]` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)), '');
}

/** The address part of `"Name <local@domain>"`. */
export const fromAddress = (from: string): string => /<([^>]+)>/.exec(from)?.[1] ?? from;

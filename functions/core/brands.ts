import { z } from 'zod';
import { StartupError, ValidationError } from './errors';
import { own } from './own';

/**
 * The brands (sites) that share one privacy policy, from one validated file. A bad file fails at
 * start with the path of the offending field, never later in a request.
 */
export const LOCALES = ['ja', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const localized = z.object({ ja: z.string().min(1), en: z.string().min(1) }).strict();
const topicId = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a topic id is lowercase letters, digits and dashes');
const mailbox = z
  .string()
  .min(3)
  .max(200)
  .regex(/^[^\r\n<>]*<[^\s@<>]+@[^\s@<>]+>$|^[^\s@<>]+@[^\s@<>]+$/, 'a From address is "Name <local@domain>" or "local@domain"');

const brandSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a brand id is lowercase letters, digits and dashes'),
    name: localized,
    origin: z.url().refine((u) => /^https?:\/\/[^/]+$/.test(u), 'an origin is scheme and host, without a path'),
    from: mailbox,
    replyTo: z.email().optional(),
    privacyPolicyUrl: z.url(),
    locales: z.array(z.enum(LOCALES)).min(1),
    defaultLocale: z.enum(LOCALES),
    topics: z.array(topicId).min(1),
    /**
     * Who legally sends the brand's mail, for the footer of every marketing mail (CAN-SPAM
     * 15 U.S.C. 7704(a)(5); the Act on Specified Electronic Mail, Art. 4, ordinance Art. 9). A value the privacy policy
     * does not give starts with `TODO:` until an operator fills it in (docs/operations.md).
     */
    sender: z
      .object({
        legalName: localized,
        postalAddress: localized,
        contact: z.url(),
      })
      .strict(),
    /** What the brand's transactional mail may be for; a transactional send names one. */
    transactionalPurposes: z.array(z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a purpose is lowercase letters, digits and dashes')).min(1),
  })
  .strict()
  .refine((b) => b.locales.includes(b.defaultLocale), { message: 'defaultLocale must be one of locales', path: ['defaultLocale'] })
  .refine((b) => new Set(b.topics).size === b.topics.length, { message: 'topics must not repeat', path: ['topics'] });

export const brandsFileSchema = z
  .object({
    brands: z.array(brandSchema).min(1),
    topicLabels: z.record(topicId, localized),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.brands.forEach((b, i) => {
      if (seen.has(b.id)) ctx.addIssue({ code: 'custom', message: `duplicate brand id "${b.id}"`, path: ['brands', i, 'id'] });
      seen.add(b.id);
      b.topics.forEach((t, j) => {
        if (!own(file.topicLabels, t)) ctx.addIssue({ code: 'custom', message: `topic "${t}" has no label`, path: ['brands', i, 'topics', j] });
      });
    });
  });

export type Brand = z.infer<typeof brandSchema>;
export type BrandsFile = z.infer<typeof brandsFileSchema>;

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
  // Parsed once per process: zod's compiled fast path would cost more to build than it saves.
  const result = brandsFileSchema.safeParse(input, { jitless: true });
  if (!result.success) {
    throw new BrandsConfigError(result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
  }
  const file = result.data;
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

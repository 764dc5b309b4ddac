import { describe, expect, it } from 'vitest';
import bundled from '../../functions/brands.json' with { type: 'json' };
import { BrandsConfigError, formatPath, parseBrands } from '../../functions/core/brands';
import { ValidationError } from '../../functions/core/errors';

/**
 * The rules of the brands file, pinned with their paths and messages: the validator is
 * hand-written (no schema library at cold start), so what it refuses, and how it says so, is held here.
 */
// biome-ignore lint/suspicious/noExplicitAny: each case breaks the file in its own way
type Loose = any;
const clone = (): Loose => structuredClone(bundled);
const issues = (input: unknown): string[] => {
  try {
    parseBrands(input);
  } catch (err) {
    if (err instanceof BrandsConfigError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  return [];
};
const broken = (breakIt: (f: Loose) => void) => {
  const f = clone();
  breakIt(f);
  return issues(f);
};
const FROM = 'a From address is "Name <local@domain>" or "local@domain"';

describe('brands file: its shape', () => {
  it('refuses what is not an object of brands and labels', () => {
    expect(issues(null)).toEqual([': Invalid input: expected object, received null']);
    expect(issues([])).toEqual([': Invalid input: expected object, received array']);
    expect(broken((f) => (f.brands = { 0: f.brands[0] }))).toEqual(['brands: Invalid input: expected array, received object']);
    expect(broken((f) => (f.brands = []))).toEqual(['brands: Too small: expected array to have >=1 items']);
    expect(broken((f) => (f.topicLabels = []))).toEqual(['topicLabels: Invalid input: expected record, received array']);
    expect(broken((f) => delete f.topicLabels)).toEqual(['topicLabels: Invalid input: expected record, received undefined']);
    expect(broken((f) => (f.brands[0] = 5))).toEqual(['brands[0]: Invalid input: expected object, received number']);
  });

  it('refuses unknown keys, naming the object that has them, after the issues of its fields', () => {
    expect(
      broken((f) => {
        f.x = 1;
        f.y = 2;
        f.brands[0].extra = true;
        f.brands[1].sender.fax = '03';
        f.brands[2].name.fr = 'x';
        f.topicLabels.events.de = 'Veranstaltungen';
      }),
    ).toEqual([
      'brands[0]: Unrecognized key: "extra"',
      'brands[1].sender: Unrecognized key: "fax"',
      'brands[2].name: Unrecognized key: "fr"',
      'topicLabels.events: Unrecognized key: "de"',
      ': Unrecognized keys: "x", "y"',
    ]);
  });

  it('names each missing or mistyped field', () => {
    expect(
      broken((f) => {
        delete f.brands[0].id;
        f.brands[0].name = { ja: 'x' };
        f.brands[1].topics = 'events';
        f.brands[1].locales = [1];
        f.brands[2].replyTo = null;
        f.brands[3].sender = 'x';
      }),
    ).toEqual([
      'brands[0].id: Invalid input: expected string, received undefined',
      'brands[0].name.en: Invalid input: expected string, received undefined',
      'brands[1].locales[0]: Invalid option: expected one of "ja"|"en"',
      'brands[1].topics: Invalid input: expected array, received string',
      'brands[2].replyTo: Invalid input: expected string, received null',
      'brands[3].sender: Invalid input: expected object, received string',
    ]);
    expect(broken((f) => delete f.brands[0].replyTo)).toEqual([]);
  });
});

describe('brands file: its values', () => {
  it('refuses an origin that is no URL or has a path, and a policy URL that is none', () => {
    expect(
      broken((f) => {
        f.brands[0].origin = 'not a url';
        f.brands[1].origin = 'https://livlog.xyz/';
        f.brands[2].origin = 'ftp://cotogoto.ai';
        f.brands[3].privacyPolicyUrl = 'privacy';
        f.brands[3].sender.contact = '';
      }),
    ).toEqual([
      'brands[0].origin: Invalid URL',
      'brands[0].origin: an origin is scheme and host, without a path',
      'brands[1].origin: an origin is scheme and host, without a path',
      'brands[2].origin: an origin is scheme and host, without a path',
      'brands[3].privacyPolicyUrl: Invalid URL',
      'brands[3].sender.contact: Invalid URL',
    ]);
  });

  it('refuses bad ids, addresses, topics and purposes, each check on its own', () => {
    expect(
      broken((f) => {
        f.brands[0].id = 'Bad';
        f.brands[0].from = 'ab';
        f.brands[1].id = 'b'.repeat(33);
        f.brands[1].from = `${'x'.repeat(200)}@b.c`;
        f.brands[2].from = 'X <a@b.c>\r\nBcc: d@e.f';
        f.brands[2].replyTo = 'privacy@livlog';
        f.brands[3].topics = [];
        f.brands[3].transactionalPurposes = ['Orders'];
        f.topicLabels.events.ja = '';
      }),
    ).toEqual([
      'brands[0].id: a brand id is lowercase letters, digits and dashes',
      'brands[0].from: Too small: expected string to have >=3 characters',
      `brands[0].from: ${FROM}`,
      'brands[1].id: a brand id is lowercase letters, digits and dashes',
      'brands[1].from: Too big: expected string to have <=200 characters',
      `brands[2].from: ${FROM}`,
      'brands[2].replyTo: Invalid email address',
      'brands[3].topics: Too small: expected array to have >=1 items',
      'brands[3].transactionalPurposes[0]: a purpose is lowercase letters, digits and dashes',
      'topicLabels.events.ja: Too small: expected string to have >=1 characters',
    ]);
    expect(broken((f) => (f.topicLabels['Bad Key'] = { ja: 'a', en: 'b' }))).toEqual(['topicLabels.Bad Key: Invalid key in record']);
  });

  it('checks a brand as a whole once its fields can be read, and the file as a whole likewise', () => {
    expect(
      broken((f) => {
        f.brands[0].locales = ['ja'];
        f.brands[0].defaultLocale = 'en';
        f.brands[0].topics = ['events', 'events'];
        f.brands[1].locales = [];
        f.brands[1].extra = 1;
        f.brands[2].id = 'livlog';
        f.brands[3].topics.push('Unlabelled');
      }),
    ).toEqual([
      'brands[0].defaultLocale: defaultLocale must be one of locales',
      'brands[0].topics: topics must not repeat',
      'brands[1].locales: Too small: expected array to have >=1 items',
      'brands[1]: Unrecognized key: "extra"',
      'brands[1].defaultLocale: defaultLocale must be one of locales',
      'brands[3].topics[4]: a topic id is lowercase letters, digits and dashes',
      'brands[2].id: duplicate brand id "livlog"',
      'brands[3].topics[4]: topic "Unlabelled" has no label',
    ]);
    // A field of the wrong type or an unknown locale: the brand is not checked as a whole, nor the file.
    expect(
      broken((f) => {
        f.brands[0].replyTo = 5;
        f.brands[0].locales = ['en'];
        f.brands[1].locales = ['en', 'fr'];
        f.brands[1].topics = ['events', 'events'];
        f.brands[2].id = 'livlog';
      }),
    ).toEqual(['brands[0].replyTo: Invalid input: expected string, received number', 'brands[1].locales[1]: Invalid option: expected one of "ja"|"en"']);
    expect(
      broken((f) => {
        f.topicLabels.Bad = { ja: 'a', en: 'b' };
        f.brands[0].topics.push('nolabel');
      }),
    ).toEqual(['topicLabels.Bad: Invalid key in record']);
  });
});

describe('brands file: what it gives', () => {
  it('trims URLs, and keeps nothing of the input object', () => {
    const f = clone();
    f.brands[0].origin = ' https://livlog.jp ';
    f.brands[0].privacyPolicyUrl = 'https://livlog.jp/pri\nvacy';
    const brands = parseBrands(f);
    const first = brands.list[0];
    expect([first?.origin, first?.privacyPolicyUrl]).toEqual(['https://livlog.jp', 'https://livlog.jp/privacy']);
    f.brands[0].topics.push('changed');
    f.brands[0].name.en = 'changed';
    expect(first?.topics).toEqual(['newsletter', 'promotions', 'events', 'surveys']);
    expect(first?.name.en).toBe('LivLog');
    expect(Object.keys(first ?? {})).toEqual(Object.keys(bundled.brands[0] ?? {}));
  });

  it('answers an unknown brand or topic without reaching what every object inherits', () => {
    const brands = parseBrands(bundled);
    expect(brands.get('constructor')).toBeUndefined();
    expect(brands.topicLabel('constructor', 'en')).toBe('constructor');
    expect(brands.isTopicOf('livlog', 'constructor')).toBe(false);
    expect(() => brands.require('toString', 'body.brand')).toThrow(ValidationError);
    expect(brands.unknownMessage).toBe('unknown brand; one of livlog, livlog-xyz, cotogoto, chroco');
  });

  it('formats a path as callers read it', () => {
    expect(formatPath(['brands', 2, 'topics', 0])).toBe('brands[2].topics[0]');
    expect(formatPath([])).toBe('');
    expect(formatPath([0, 'a'])).toBe('[0].a');
  });
});

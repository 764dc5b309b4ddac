import { describe, expect, it } from 'vitest';
import bundled from '../../functions/brands.json' with { type: 'json' };
import { BrandsConfigError, fromAddress, parseBrands } from '../../functions/core/brands';

const clone = () => structuredClone(bundled) as typeof bundled;
const issuesOf = (input: unknown) => {
  try {
    parseBrands(input);
    return [];
  } catch (err) {
    if (err instanceof BrandsConfigError) return err.issues.map((i) => i.path);
    throw err;
  }
};

describe('brands config', () => {
  it('has the four sites with the default topics and ja as default locale', () => {
    const brands = parseBrands(bundled);
    expect(brands.list.map((b) => [b.id, b.origin])).toEqual([
      ['livlog', 'https://livlog.jp'],
      ['livlog-xyz', 'https://livlog.xyz'],
      ['cotogoto', 'https://cotogoto.ai'],
      ['chroco', 'https://chroco.ooo'],
    ]);
    for (const b of brands.list) {
      expect(b.topics).toEqual(['newsletter', 'promotions', 'events', 'surveys']);
      expect(b.defaultLocale).toBe('ja');
    }
    expect(brands.topicLabel('events', 'en')).toBe('Events');
    expect(brands.isTopicOf('chroco', 'surveys')).toBe(true);
    expect(brands.isTopicOf('chroco', 'verification')).toBe(false);
    expect(fromAddress(brands.get('cotogoto')?.from ?? '')).toBe('news@cotogoto.ai');
  });

  it('names the path of each bad field', () => {
    const f = clone();
    (f.brands[2] as { origin: string }).origin = 'not a url';
    (f.brands[1] as { defaultLocale: string }).defaultLocale = 'fr';
    expect(issuesOf(f)).toEqual(expect.arrayContaining(['brands[2].origin', 'brands[1].defaultLocale']));
  });

  it('refuses a topic without a label', () => {
    const f = clone();
    f.brands[0]?.topics.push('unlabelled');
    expect(issuesOf(f)).toEqual(['brands[0].topics[4]']);
  });

  it('refuses duplicate brand ids, unknown fields and a From with a line break', () => {
    const f = clone();
    (f.brands[3] as { id: string }).id = 'livlog';
    (f.brands[0] as Record<string, unknown>).extra = true;
    (f.brands[1] as { from: string }).from = 'X <a@b.c>\r\nBcc: d@e.f';
    expect(issuesOf(f)).toEqual(expect.arrayContaining(['brands[3].id', 'brands[0]', 'brands[1].from']));
  });

  it("names who legally sends each brand's mail and the purposes of its transactional mail", () => {
    const brands = parseBrands(bundled);
    for (const b of brands.list) {
      expect(b.sender.legalName.en).toBe('The LivLog llc');
      expect(b.sender.contact).toBe(`${b.origin}/contact`);
      expect(b.transactionalPurposes).toEqual(['account', 'order', 'service-notice', 'security']);
    }
  });

  it('refuses a brands file without the sender fields or the transactional purposes, naming each path', () => {
    const f = clone() as unknown as { brands: Record<string, unknown>[] };
    const first = f.brands[0] as { sender: Record<string, unknown> };
    delete first.sender.postalAddress;
    delete (f.brands[1] as { sender?: unknown }).sender;
    delete (f.brands[2] as { transactionalPurposes?: unknown }).transactionalPurposes;
    (f.brands[3] as { sender: { contact: string } }).sender.contact = 'not a url';
    expect(issuesOf(f)).toEqual(
      expect.arrayContaining(['brands[0].sender.postalAddress', 'brands[1].sender', 'brands[2].transactionalPurposes', 'brands[3].sender.contact']),
    );
  });
});

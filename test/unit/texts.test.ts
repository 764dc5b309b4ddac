import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { textsOf } from '../../functions/core/texts';
import { consoleTextsOf } from '../../functions/core/texts/console';
import { formatDate } from '../../functions/core/texts/dates';

/** The catalogue of texts (functions/core/texts): one per language, the same keys, the only place sentences live. */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Every leaf of a catalogue tree by its key path; functions are called with sample arguments. */
function leaves(node: unknown, path = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof node === 'string') out.set(path, node);
  else if (typeof node === 'function') out.set(path, String((node as (...a: unknown[]) => unknown)('X', 'Y', 3)));
  else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) for (const [p, s] of leaves(v, `${path}.${k}`)) out.set(p, s);
  return out;
}

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });

describe('the text catalogue', () => {
  it('has the same keys in Japanese and English, and no empty text', () => {
    // The console's tree holds the whole catalogue and the console's areas.
    const ja = leaves(consoleTextsOf('ja'));
    const en = leaves(consoleTextsOf('en'));
    expect(ja.size).toBeGreaterThan(leaves(textsOf('ja')).size);
    expect([...en.keys()].sort()).toEqual([...ja.keys()].sort());
    for (const [key, text] of [...ja, ...en]) expect(text.trim(), key).not.toBe('');
  });

  it('is the only place Japanese is written in pages, routes, use cases and mail code (mail templates are files of their own)', () => {
    const japanese = /[ぁ-んァ-ン一-龯]/;
    const scanned = ['functions/http', 'functions/use-cases', 'functions/mail', 'functions/core']
      .flatMap((d) => filesUnder(join(root, d)))
      .map((f) => relative(root, f))
      // The Art. 15 facts are the export's content, typed alike for both languages (see docs/inquiries.md).
      .filter((f) => !f.startsWith('functions/core/texts/') && !f.startsWith('functions/mail/templates/') && f !== 'functions/core/privacy-facts.ts');
    expect(scanned.length).toBeGreaterThan(50);
    expect(scanned.filter((f) => japanese.test(readFileSync(join(root, f), 'utf8')))).toEqual([]);
  });

  it('writes dates as each language does: 2026年12月1日, 1 December 2026 (the UTC calendar date)', () => {
    expect(formatDate('2026-12-01T09:00:00.000Z', 'ja')).toBe('2026年12月1日');
    expect(formatDate('2026-12-01T09:00:00.000Z', 'en')).toBe('1 December 2026');
    expect(formatDate('2027-01-31T23:59:59.999Z', 'en')).toBe('31 January 2027');
    expect(formatDate(undefined, 'ja')).toBe('-');
  });
});

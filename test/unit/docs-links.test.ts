import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const README_MAX_BYTES = 12_000;

const docs = [
  'README.md',
  'bench/README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

interface Link {
  file: string;
  target: string;
}

/** Every markdown link target, inline (`[t](x)`) and reference style (`[t]: x`), outside code. */
function linksIn(markdown: string): string[] {
  // A link written inside code is an example, not a link.
  const text = markdown.replace(/^(```|~~~)[\s\S]*?^\1/gm, '').replace(/`[^`\n]*`/g, '');
  return [
    ...[...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]),
    ...[...text.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s.*)?$/gm)].map((m) => m[1]),
  ].filter((t): t is string => t !== undefined);
}

const linksOf = (file: string): Link[] => linksIn(readFileSync(join(root, file), 'utf8')).map((target) => ({ file, target }));

/** The anchors GitHub gives a markdown file's headings: lower case, punctuation dropped, spaces as dashes. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const m of markdown.replace(/^(```|~~~)[\s\S]*?^\1/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = (m[1] ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');

/** The path a relative link names, without its `#anchor` or `?query`, resolved from its file. */
const pathOf = (link: Link) => resolve(root, dirname(link.file), decodeURIComponent(link.target.replace(/[#?].*$/, '')));
const insideRepo = (path: string) => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

describe('the docs link only to what is there', () => {
  it('finds the documents it checks', () => {
    for (const file of docs) expect(existsSync(join(root, file)), file).toBe(true);
    expect(docs.length).toBeGreaterThan(2);
  });

  it('every relative link resolves to a file or folder inside the repository, and to a heading of it when it names one', () => {
    const broken = docs
      .flatMap(linksOf)
      .filter((l) => !isExternal(l.target) && !l.target.startsWith('#'))
      .filter((l) => {
        const path = pathOf(l);
        if (!insideRepo(path) || !existsSync(path)) return true;
        const anchor = /#(.+)$/.exec(l.target)?.[1];
        return anchor !== undefined && path.endsWith('.md') && !anchorsOf(readFileSync(path, 'utf8')).has(decodeURIComponent(anchor));
      })
      .map((l) => `${l.file}: ${l.target}`);
    expect(broken).toEqual([]);
  });

  it('the README links nothing outside the repository', () => {
    const outside = linksOf('README.md')
      .filter((l) => isExternal(l.target) || (!l.target.startsWith('#') && !insideRepo(pathOf(l))))
      .map((l) => l.target);
    expect(outside).toEqual([]);
  });

  it(`the README is an entry point of at most ${README_MAX_BYTES} bytes`, () => {
    expect(statSync(join(root, 'README.md')).size).toBeLessThanOrEqual(README_MAX_BYTES);
  });

  it('the README states both commands and how the test run ends', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm install && npm test');
    expect(readme).toContain('vitest: N passed, N failed, N skipped');
  });
});

describe('the link scanner itself', () => {
  it('sees inline and reference links, not links inside code', () => {
    const text = 'see [a](docs/a.md#part) and `[b](no.md)`\n```\n[c](no.md)\n```\n[d]: ../d.md\n[e](https://x.example "t")\n';
    expect(linksIn(text)).toEqual(['docs/a.md#part', 'https://x.example', '../d.md']);
  });

  it('derives heading anchors as GitHub does', () => {
    const anchors = anchorsOf('# Faults and load\n## How the send pipeline calls the privileged API\n## SES\n## SES\n```\n# not a heading\n```\n');
    expect([...anchors]).toEqual(['faults-and-load', 'how-the-send-pipeline-calls-the-privileged-api', 'ses', 'ses-1']);
  });

  it('tells a link out of the repository from one inside it', () => {
    expect(insideRepo(pathOf({ file: 'README.md', target: '../shared/CONTRACT.md' }))).toBe(false);
    expect(insideRepo(pathOf({ file: 'docs/a.md', target: '../README.md#test' }))).toBe(true);
    expect(isExternal('https://example.com')).toBe(true);
    expect(isExternal('docs/a.md')).toBe(false);
  });
});

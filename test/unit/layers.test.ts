import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The arrows of docs/architecture.md, checked: every import in functions/ is read, resolved to a
 * layer, and compared with what that layer may import. A new file falls under its folder's rule.
 */
const ROOT = resolve(import.meta.dirname, '../../functions');

type Layer = 'core' | 'store' | 'mail' | 'oidc' | 'use-cases' | 'http' | 'handlers' | 'queue' | 'deps' | 'config' | 'log' | 'wiring';

/** What each layer may import besides itself (packages are checked separately). */
const ALLOWED: Record<Layer, readonly Layer[]> = {
  core: [],
  store: ['core'],
  mail: ['core'],
  // The console's OpenID Connect client, an adapter like store and mail.
  oidc: ['core'],
  queue: ['core', 'log'],
  'use-cases': ['core', 'store', 'mail', 'oidc', 'queue', 'deps', 'config', 'log'],
  http: ['core', 'use-cases', 'deps', 'config', 'log'],
  handlers: ['core', 'store', 'mail', 'oidc', 'queue', 'use-cases', 'http', 'deps', 'config', 'log', 'wiring'],
  deps: ['core', 'store', 'mail', 'oidc', 'queue', 'config', 'log'],
  // The settings of the adapters (timeouts) are part of the one config read at start.
  config: ['core', 'store', 'mail'],
  log: [],
  // Where the dependencies are made: the campaign queue and the worker it feeds.
  wiring: ['core', 'oidc', 'queue', 'use-cases', 'deps', 'config', 'log'],
};

/** Packages a layer may import; `core` stays pure. */
const PACKAGES: Partial<Record<Layer, RegExp>> = {
  core: /^(node:|zod$)/,
  store: /^(node:|@aws-sdk\/(client-dynamodb|lib-dynamodb|util-dynamodb)$)/,
  mail: /^(node:|@aws-sdk\/client-sesv2$)/,
  oidc: /^(node:|oauth4webapi$)/,
};

function layerOf(file: string): Layer {
  const top = relative(ROOT, file).split('/')[0] ?? '';
  const name = top.replace(/\.tsx?$/, '');
  if (['core', 'store', 'mail', 'oidc', 'use-cases', 'http', 'handlers', 'queue'].includes(name)) return name as Layer;
  if (name === 'deps' || name === 'config' || name === 'log' || name === 'wiring') return name;
  // A part of the config split into a file of its own (config-console.ts) is still the config.
  if (name.startsWith('config-')) return 'config';
  throw new Error(`functions/${top} belongs to no layer; add it to the layer test`);
}

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (/\.tsx?$/.test(entry.name)) yield path;
  }
}

const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

describe('layers (imports point inward)', () => {
  const files = [...sources(ROOT)];

  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('every import goes where its layer may go', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      for (const spec of importsOf(file)) {
        if (spec.startsWith('.')) {
          const target = resolve(file, '..', spec);
          if (!target.startsWith(ROOT)) {
            wrong.push(`${relative(ROOT, file)} → ${spec} (outside functions/)`);
            continue;
          }
          if (target.endsWith('brands.json')) continue;
          const to = layerOf(target);
          if (to !== from && !ALLOWED[from].includes(to)) wrong.push(`${relative(ROOT, file)} (${from}) → ${spec} (${to})`);
        } else {
          const allowed = PACKAGES[from];
          if (allowed && !allowed.test(spec)) wrong.push(`${relative(ROOT, file)} (${from}) → package ${spec}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('store and mail know nothing of each other', () => {
    // Already implied by ALLOWED; said once more because it is the rule most easily broken.
    expect(ALLOWED.store).not.toContain('mail');
    expect(ALLOWED.mail).not.toContain('store');
  });
});

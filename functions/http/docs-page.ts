import { html, raw } from 'hono/html';
import type { Locale } from '../core/brands';
import { type Texts, textsOf } from '../core/texts';

interface Schema {
  $ref?: string;
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
}

interface OperationLike {
  summary?: string;
  description?: string;
  security?: unknown[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string }>;
}

interface Field {
  name: string;
  type: string;
  required: boolean;
  description?: string;
  values?: string[];
}

type Components = Map<string, Schema>;

/** `#/components/schemas/X` → X's schema; anything else is left as it is. */
function resolve(schema: Schema | undefined, components: Components, seen = 0): Schema {
  if (!schema) return {};
  const name = schema.$ref?.startsWith('#/components/schemas/') ? schema.$ref.slice('#/components/schemas/'.length) : undefined;
  const target = name ? components.get(name) : undefined;
  if (target && seen < 8) return resolve(target, components, seen + 1);
  if (!schema.allOf) return schema;
  // allOf here is zod-openapi's `extend`: the parts' properties, later ones winning.
  const parts = schema.allOf.map((s) => resolve(s, components, seen + 1));
  return {
    ...(schema.description ? { description: schema.description } : {}),
    type: 'object',
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
    required: [...new Set(parts.flatMap((p) => p.required ?? []))],
  };
}

function typeOf(raw: Schema, components: Components, t: Texts['docs']): string {
  const s = resolve(raw, components);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return [...new Set(alternatives.map((a) => typeOf(a, components, t)))].join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.type)) return s.type.join(' | ');
  if (s.type === 'array') return t.arrayOf(s.items ? typeOf(s.items, components, t) : t.any);
  if (s.type === 'object' && !s.properties && typeof s.additionalProperties === 'object') return t.mapOf(typeOf(s.additionalProperties, components, t));
  return s.type ?? t.any;
}

/** The fields of a body, nested ones by path (`template.name`, `recipients[].email`). */
function fieldsOf(raw: Schema, components: Components, t: Texts['docs'], prefix = '', depth = 0): Field[] {
  const s = resolve(raw, components);
  if (depth > 4) return [];
  if (s.type === 'array' && s.items) return fieldsOf(s.items, components, t, `${prefix}[].`, depth + 1);
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties ?? {}).flatMap(([key, value]) => {
    const v = resolve(value, components);
    const name = `${prefix}${key}`;
    const values = v.enum?.map((e) => String(e));
    const field: Field = {
      name,
      type: typeOf(v, components, t),
      required: required.has(key),
      ...(v.description ? { description: v.description } : {}),
      ...(values ? { values } : {}),
    };
    const nested =
      v.type === 'array' && v.items ? fieldsOf(v.items, components, t, `${name}[].`, depth + 1) : fieldsOf(v, components, t, `${name}.`, depth + 1);
    return [field, ...nested];
  });
}

function bodyHtml(types: string[], schema: Schema | undefined, components: Components, t: Texts['docs']) {
  const s = resolve(schema, components);
  const fields = fieldsOf(s, components, t);
  const head = html`<h3>${t.body} ${types.map((type, i) => html`${i ? ', ' : ''}<code>${type}</code>`)}</h3>`;
  if (!fields.length) return html`${head}<p>${typeOf(s, components, t)}${s.description ? html` — ${s.description}` : ''}</p>`;
  return html`${head}<ul class="fields">${fields.map(
    (f) =>
      html`<li><code>${f.name}</code> <span class="state">${f.type}, ${f.required ? t.required : t.optional}</span>${
        f.description ? html`<br>${f.description}` : ''
      }${f.values ? html`<br>${t.oneOf}: ${f.values.map((v, i) => html`${i ? ', ' : ''}<code>${v}</code>`)}` : ''}</li>`,
  )}</ul>`;
}

/**
 * A readable reference page rendered from the generated OpenAPI document: each route with its
 * request body's fields (references to named schemas resolved) and its answers. Self-contained (no
 * CDN, no script) so it works offline and under a strict CSP; one column that fits a phone.
 */
export function docsPage(doc: { paths?: object; components?: { schemas?: Record<string, Schema> } }, locale: Locale = 'en') {
  const t = textsOf(locale).docs;
  const components: Components = new Map(Object.entries(doc.components?.schemas ?? {}));
  const ops = Object.entries((doc.paths ?? {}) as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op: op as OperationLike })),
  );
  /** Media types with the same schema are shown once, together. */
  const bodiesOf = (op: OperationLike) => {
    const groups = new Map<string, { types: string[]; schema: Schema | undefined }>();
    for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
      const key = JSON.stringify(media.schema ?? null);
      const group = groups.get(key) ?? { types: [], schema: media.schema };
      group.types.push(type);
      groups.set(key, group);
    }
    return [...groups.values()];
  };
  return html`<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title}</title>
<link rel="stylesheet" href="/assets/site.css"></head>
<body class="docs"><main>
<h1>${t.title}</h1>
<p>${t.machine} <a href="/openapi.json">/openapi.json</a></p>
<p>${t.privileged} <code>Authorization: Bearer $ADMIN_TOKEN</code></p>
${ops.map(
  ({ path, method, op }) => html`<section>
<h2><code>${method}</code> <code>${path}</code> ${op.security?.length ? raw('<span class="lock">🔒</span>') : ''}</h2>
${op.summary ? html`<p><strong>${op.summary}</strong></p>` : ''}
${op.description ? html`<p>${op.description}</p>` : ''}
${bodiesOf(op).map((b) => bodyHtml(b.types, b.schema, components, t))}
<h3>${t.answers}</h3>
<ul>${Object.entries(op.responses ?? {}).map(([status, r]) => html`<li><code>${status}</code> ${r.description ?? ''}</li>`)}</ul>
</section>`,
)}
</main></body></html>`;
}

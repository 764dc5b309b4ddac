import { html, raw } from 'hono/html';

interface OperationLike {
  summary?: string;
  description?: string;
  security?: unknown[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string }>;
}

/**
 * A readable reference page rendered from the generated OpenAPI document, self-contained (no
 * CDN, no script) so it works offline and under a strict CSP.
 */
export function docsPage(doc: { paths?: object }) {
  const ops = Object.entries((doc.paths ?? {}) as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op: op as OperationLike })),
  );
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>API reference</title>
<link rel="stylesheet" href="/assets/site.css"></head>
<body><main>
<h1>API reference</h1>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Privileged routes (<span class="lock">🔒</span>) need
<code>Authorization: Bearer $ADMIN_TOKEN</code> locally and SigV4 in AWS.</p>
${ops.map(
  ({ path, method, op }) => html`<section>
<h2><code>${method}</code> <code>${path}</code> ${op.security?.length ? raw('<span class="lock">🔒</span>') : ''}</h2>
${op.summary ? html`<p><strong>${op.summary}</strong></p>` : ''}
${op.description ? html`<p>${op.description}</p>` : ''}
${Object.entries(op.requestBody?.content ?? {}).map(
  ([type, media]) => html`<p>Body <code>${type}</code>:</p><pre>${JSON.stringify(media.schema, null, 2)}</pre>`,
)}
<ul>${Object.entries(op.responses ?? {}).map(([status, r]) => html`<li><code>${status}</code> ${r.description ?? ''}</li>`)}</ul>
</section>`,
)}
</main></body></html>`;
}

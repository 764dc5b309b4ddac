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
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
h2{font-size:1.1rem;margin-top:2rem;border-top:1px solid #ccc;padding-top:1rem}
code,pre{font-family:ui-monospace,monospace}.m{display:inline-block;min-width:4.5rem;font-weight:700}
pre{background:#f4f4f4;padding:.75rem;overflow:auto;font-size:.85rem}.lock{color:#8a4b00}
</style></head>
<body>
<h1>API reference</h1>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Privileged routes (<span class="lock">🔒</span>) need
<code>Authorization: Bearer $ADMIN_TOKEN</code> locally and SigV4 in AWS.</p>
${ops.map(
  ({ path, method, op }) => html`<section>
<h2><span class="m">${method}</span> <code>${path}</code> ${op.security?.length ? raw('<span class="lock">🔒</span>') : ''}</h2>
${op.summary ? html`<p><strong>${op.summary}</strong></p>` : ''}
${op.description ? html`<p>${op.description}</p>` : ''}
${Object.entries(op.requestBody?.content ?? {}).map(
  ([type, media]) => html`<p>Body <code>${type}</code>:</p><pre>${JSON.stringify(media.schema, null, 2)}</pre>`,
)}
<ul>${Object.entries(op.responses ?? {}).map(([status, r]) => html`<li><code>${status}</code> ${r.description ?? ''}</li>`)}</ul>
</section>`,
)}
</body></html>`;
}

import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { textsOf } from '../../../core/texts';
import type { Deps } from '../../../deps';
import { type ConsoleEnv, CSRF_FIELD } from '../context';

/**
 * A placeholder of the console's pages (the pages branch brings the real ones): the start page,
 * saying who is signed in, with the sign-out form and its CSRF field.
 */
export function consolePages(_deps: Deps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  app.get('/console', (c) => {
    const locale = c.get('locale');
    const t = textsOf(locale).consoleAuth;
    return c.html(html`${raw('<!doctype html>')}
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow"><title>${t.title}</title><link rel="stylesheet" href="/assets/site.css"></head>
<body><header class="site"><strong>${t.title}</strong></header>
<main><h1>${t.title}</h1><p>${t.signedInAs(c.get('operator').username)}</p>
<form method="post" action="/console/logout"><input type="hidden" name="${CSRF_FIELD}" value="${c.get('csrfToken')}"><button type="submit">${t.signOut}</button></form>
</main></body></html>`);
  });
  return app;
}

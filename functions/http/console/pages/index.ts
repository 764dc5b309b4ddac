import { Hono } from 'hono';
import type { Deps } from '../../../deps';
import type { ConsoleEnv } from '../context';
import { campaignPages } from './campaigns';
import { consoleErrorPages } from './errors';
import { inquiryQueuePage } from './inquiries';
import { inquiryPages } from './inquiry-routes';
import { overviewPage } from './overview';
import { subscriberPages } from './subscribers';
import { suppressionPages } from './suppressions';

/**
 * The console's pages (CONTRACT.md "Console"), at their full paths under `/console`: mount with
 * `app.route('/', consolePages(deps))` behind the sign-in middleware, which has put the operator,
 * the CSRF token and the locale on the context, checked the route's role (`roles.ts`: the inquiry
 * and subscriber pages and the suppression list's changes are the privacy officer's alone; the
 * overview, the suppression list (read) and the campaigns are for both) and the `csrf` field of
 * every POST.
 */
export function consolePages(deps: Deps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  // Scoped to the console's paths: a middleware on '*' would be mounted on every route of the app.
  app.use('/console', consoleErrorPages);
  app.use('/console/*', consoleErrorPages);
  app.route('/', overviewPage(deps));
  app.route('/', inquiryQueuePage(deps));
  app.route('/', inquiryPages(deps));
  app.route('/', subscriberPages(deps));
  app.route('/', suppressionPages(deps));
  app.route('/', campaignPages(deps));
  return app;
}

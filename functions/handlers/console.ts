import { handle } from 'hono/aws-lambda';
import { ConfigError } from '../config';
import { buildLazyApp } from '../http/lazy-groups';
import { consoleRelyingParty } from '../wiring';
import { depsFromEnv } from './bootstrap';

/**
 * The console's function: its pages and its OpenID Connect sign-in (a Cognito user pool), behind
 * routes with no authorizer, since the function checks the session of every request itself.
 */
const deps = await depsFromEnv(consoleRelyingParty);
if (!deps.config.console) throw new ConfigError('CONSOLE_OIDC_ISSUER and CONSOLE_OIDC_CLIENT_ID are needed by the console function');
// The pages and the sign-in load on the first request under /console, as the API functions' groups do.
export const handler = handle(buildLazyApp(deps, [{ paths: ['/console'], load: async () => (await import('../http/console')).consoleRoutes }]));

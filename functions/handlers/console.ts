import { handle } from 'hono/aws-lambda';
import { ConfigError } from '../config';
import { buildApp } from '../http/app';
import { consoleRoutes } from '../http/console';
import { consoleRelyingParty } from '../wiring';
import { depsFromEnv } from './bootstrap';

/**
 * The console's function: its pages and its OpenID Connect sign-in (a Cognito user pool), behind
 * routes with no authorizer, since the function checks the session of every request itself.
 */
const deps = await depsFromEnv(consoleRelyingParty);
if (!deps.config.console) throw new ConfigError('CONSOLE_OIDC_ISSUER and CONSOLE_OIDC_CLIENT_ID are needed by the console function');
export const handler = handle(buildApp(deps, [consoleRoutes]));

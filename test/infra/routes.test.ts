import { App, type CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDeps } from '../../functions/deps';
import { buildApp, type RouteGroup } from '../../functions/http/app';
import { consoleRoutes } from '../../functions/http/console';
import { privilegedGroups } from '../../functions/http/privileged';
import { publicGroups } from '../../functions/http/public';
import { silentLogger } from '../../functions/log';
import { consoleRelyingParty } from '../../functions/wiring';
import { buildStacks } from '../../lib/app';
import { testConfig } from '../support/stack';

type Resource = { Type: string; Properties: Record<string, unknown> };

/** `GET /u/{token}` for Hono's `GET /u/:token`; `/assets/*` becomes API Gateway's greedy `{proxy+}`. */
const normalize = (path: string) => path.replace(/:(\w+)/g, '{$1}').replace(/\/\*$/, '/{proxy+}');

/** Method and path of every handler the app serves; `ALL` entries are middleware (`app.use`), not routes. */
function appRoutes(groups: RouteGroup[]): Set<string> {
  // The console needs its provider named; nothing is asked of it until someone signs in.
  const config = testConfig({ CONSOLE_OIDC_ISSUER: 'https://cognito-idp.ap-northeast-1.amazonaws.com/ap-northeast-1_test', CONSOLE_OIDC_CLIENT_ID: 'test' });
  const app = buildApp(createDeps(config, { logger: silentLogger, ...consoleRelyingParty(config) }), groups);
  return new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${normalize(r.path)}`));
}

/** Whether a deployed route key delivers `METHOD /path` to its function. */
function covers(routeKey: string, route: string): boolean {
  const [keyMethod, keyPath] = routeKey.split(' ') as [string, string];
  const [method, path] = route.split(' ') as [string, string];
  // Hono answers HEAD with its GET handler; API Gateway needs a HEAD route key of its own.
  const methodOk = keyMethod === 'ANY' || keyMethod === method || (keyMethod === 'HEAD' && method === 'GET');
  if (!methodOk) return false;
  if (keyPath.endsWith('/{proxy+}')) return path.startsWith(keyPath.slice(0, -'{proxy+}'.length)) || path === keyPath;
  return keyPath === path;
}

type Side = 'public' | 'privileged' | 'console';
const FUNCTION_OF = { public: 'apiPublic', privileged: 'apiPrivileged', console: 'console' } as const;
let deployed: Record<Side, string[]>;

beforeAll(() => {
  // Route keys need no bundles: this App skips bundling.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
  const { stateless } = buildStacks(app);
  const resources = Template.fromStack(stateless).toJSON().Resources as Record<string, Resource>;
  const fnId = (name: (typeof FUNCTION_OF)[Side]) => stateless.getLogicalId(stateless.functions[name].node.defaultChild as CfnResource);
  const integrationOf = (name: (typeof FUNCTION_OF)[Side]) =>
    Object.entries(resources).find(
      ([, r]) => r.Type === 'AWS::ApiGatewayV2::Integration' && JSON.stringify(r.Properties.IntegrationUri).includes(fnId(name)),
    )?.[0];
  const keysTo = (name: (typeof FUNCTION_OF)[Side]) => {
    const integration = integrationOf(name);
    expect(integration, name).toBeDefined();
    return Object.values(resources)
      .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route' && JSON.stringify(r.Properties.Target).includes(integration as string))
      .map((r) => r.Properties.RouteKey as string);
  };
  deployed = { public: keysTo(FUNCTION_OF.public), privileged: keysTo(FUNCTION_OF.privileged), console: keysTo(FUNCTION_OF.console) };
}, 60_000);

describe('the stack deploys the routes the app serves', () => {
  const publicApp = () => appRoutes(publicGroups);
  // buildApp gives every app /health, /openapi.json and /docs; in AWS those paths reach the public function.
  const ownRoutes = () => appRoutes([]);
  const privilegedApp = () => new Set([...appRoutes(privilegedGroups)].filter((r) => !ownRoutes().has(r)));
  const consoleApp = () => new Set([...appRoutes([consoleRoutes])].filter((r) => !ownRoutes().has(r)));

  it('finds routes on both sides', () => {
    expect(publicApp().size).toBeGreaterThan(10);
    expect(privilegedApp().size).toBeGreaterThan(5);
    expect(deployed.public.length).toBeGreaterThan(10);
    expect(deployed.privileged.length).toBeGreaterThan(3);
    expect(consoleApp()).toContain('POST /console/logout');
    expect(deployed.console.length).toBeGreaterThan(1);
  });

  for (const side of ['public', 'privileged', 'console'] as const) {
    const served = () => (side === 'public' ? publicApp() : side === 'privileged' ? privilegedApp() : consoleApp());

    it(`gives every route of the ${side} app a route key to the ${side} function`, () => {
      const missing = [...served()].filter((route) => !deployed[side].some((key) => covers(key, route)));
      expect(missing, `served by the ${side} app but not deployed`).toEqual([]);
    });

    it(`deploys no ${side} route key that the ${side} app does not serve`, () => {
      const dead = deployed[side].filter((key) => ![...served()].some((route) => covers(key, route)));
      expect(dead, `deployed to the ${side} function but not served`).toEqual([]);
    });
  }

  it('normalizes Hono paths to API Gateway route paths', () => {
    expect(normalize('/u/:token/preferences')).toBe('/u/{token}/preferences');
    expect(normalize('/assets/*')).toBe('/assets/{proxy+}');
    expect(covers('ANY /admin/{proxy+}', 'DELETE /admin/suppressions/{email}')).toBe(true);
    expect(covers('HEAD /u/{token}', 'GET /u/{token}')).toBe(true);
    expect(covers('GET /v1/sends', 'POST /v1/sends')).toBe(false);
    expect(covers('GET /assets/{proxy+}', 'GET /assets')).toBe(false);
  });
});

import { App, type CfnResource } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildStacks } from '../../lib/app';
import { readSettings } from '../../lib/settings';

type Resource = { Type: string; Properties: Record<string, unknown> };

/** The stacks without bundles (the console's settings need none), for a context. */
function build(context: Record<string, unknown>) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context }, builtinCloudFormationValidation: false });
  const built = buildStacks(app);
  return { ...built, statefulT: Template.fromStack(built.stateful), statelessT: Template.fromStack(built.stateless) };
}

let on: ReturnType<typeof build>;
let off: ReturnType<typeof build>;
let apart: ReturnType<typeof build>;

beforeAll(() => {
  on = build({ publicBaseUrl: 'https://privacy.livlog.jp', consoleDomainPrefix: 'livlog-privacy-console' });
  off = build({ consoleThreatProtection: 'false' });
  apart = build({ publicBaseUrl: 'https://u.example.jp', consoleBaseUrl: 'https://console.example.jp' });
}, 120_000);

const only = (t: Template, type: string) => {
  const all = Object.values(t.toJSON().Resources as Record<string, Resource>).filter((r) => r.Type === type);
  expect(all, type).toHaveLength(1);
  return all[0] as Resource;
};

describe("the console's user pool (stateful stack)", () => {
  it('has no self sign-up, requires MFA by authenticator app, and a strong password policy; it is retained', () => {
    on.statefulT.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        DeletionProtection: 'ACTIVE',
        Policies: {
          PasswordPolicy: Match.objectLike({ MinimumLength: 14, RequireSymbols: true, RequireNumbers: true, RequireUppercase: true, RequireLowercase: true }),
        },
      }),
    });
  });

  it('is on the Plus plan with threat protection enforced by default; with the setting off, Essentials and no threat protection', () => {
    const pool = only(on.statefulT, 'AWS::Cognito::UserPool');
    expect(pool.Properties.UserPoolTier).toBe('PLUS');
    expect(pool.Properties.UserPoolAddOns).toEqual({ AdvancedSecurityMode: 'ENFORCED' });
    const plain = only(off.statefulT, 'AWS::Cognito::UserPool');
    expect(plain.Properties.UserPoolTier).toBe('ESSENTIALS');
    expect(plain.Properties.UserPoolAddOns).toBeUndefined();
    expect(readSettings(new App().node).console.threatProtection).toBe(true);
  });

  it('has the groups privacy-officer and marketing', () => {
    const groups = Object.values(on.statefulT.toJSON().Resources as Record<string, Resource>)
      .filter((r) => r.Type === 'AWS::Cognito::UserPoolGroup')
      .map((r) => r.Properties.GroupName);
    expect(groups.sort()).toEqual(['marketing', 'privacy-officer']);
  });

  it('has a managed login domain (version 2) with a branding style on the console app client', () => {
    on.statefulT.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'livlog-privacy-console', ManagedLoginVersion: 2 });
    const client = Object.entries(on.statefulT.toJSON().Resources as Record<string, Resource>).find(([, r]) => r.Type === 'AWS::Cognito::UserPoolClient')?.[0];
    on.statefulT.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', { ClientId: { Ref: client }, UseCognitoProvidedValues: true });
  });

  it('gives the console an app client for the authorization code flow only, without a secret, to its own callback and sign-out URLs', () => {
    const client = only(on.statefulT, 'AWS::Cognito::UserPoolClient');
    expect(client.Properties).toMatchObject({
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid'],
      CallbackURLs: ['https://privacy.livlog.jp/console/callback'],
      LogoutURLs: ['https://privacy.livlog.jp/console/signed-out'],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect(client.Properties.GenerateSecret).toBe(false);
  });

  it('takes the console URL from consoleBaseUrl before publicBaseUrl, and refuses one that is not https', () => {
    const s = readSettings(new App({ context: { publicBaseUrl: 'https://a.example', consoleBaseUrl: 'https://console.example/' } }).node);
    expect(s.console.baseUrl).toBe('https://console.example');
    expect(() => readSettings(new App({ context: { consoleBaseUrl: 'http://console.example' } }).node)).toThrow(/consoleBaseUrl/);
    expect(() => readSettings(new App({ context: { consoleBaseUrl: 'https://console.example/admin' } }).node)).toThrow(/consoleBaseUrl/);
    expect(() => readSettings(new App({ context: { consoleDomainPrefix: 'my-cognito-login' } }).node)).toThrow(/consoleDomainPrefix/);
  });
});

/** The console function's environment variables in a build's template. */
const consoleVars = (built: ReturnType<typeof build>) => {
  const fn = built.stateless.functions.console;
  const resource = (built.statelessT.toJSON().Resources as Record<string, Resource>)[
    built.stateless.getLogicalId(fn.node.defaultChild as CfnResource)
  ] as Resource;
  return (resource.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
};

describe("the console's function (stateless stack)", () => {
  it('is told the issuer, the client id and the managed login logout URL', () => {
    const vars = consoleVars(on);
    expect(JSON.stringify(vars.CONSOLE_OIDC_ISSUER)).toContain('https://');
    expect(JSON.stringify(vars.CONSOLE_OIDC_ISSUER)).toContain('ProviderURL');
    expect(JSON.stringify(vars.CONSOLE_OIDC_CLIENT_ID)).toContain('ConsoleClient');
    expect(JSON.stringify(vars.CONSOLE_OIDC_LOGOUT_URL)).toContain('/logout');
    expect(vars.CONSOLE_OIDC_ALLOW_INSECURE).toBeUndefined();
    expect(vars.PUBLIC_BASE_URL).toBe('https://privacy.livlog.jp');
    expect(vars.CONSOLE_BASE_URL).toBe('https://privacy.livlog.jp');
  });

  it("is told the console's own base URL when consoleBaseUrl differs from publicBaseUrl: the base of the app client's callback and sign-out URLs", () => {
    const vars = consoleVars(apart);
    expect(vars.CONSOLE_BASE_URL).toBe('https://console.example.jp');
    expect(vars.PUBLIC_BASE_URL).toBe('https://u.example.jp');
    const client = only(apart.statefulT, 'AWS::Cognito::UserPoolClient');
    expect(client.Properties.CallbackURLs).toEqual([`${vars.CONSOLE_BASE_URL}/console/callback`]);
    expect(client.Properties.LogoutURLs).toEqual([`${vars.CONSOLE_BASE_URL}/console/signed-out`]);
  });

  it('is told no console base URL while none is set (the app client points at a placeholder, and the synth warns)', () => {
    expect(consoleVars(off).CONSOLE_BASE_URL).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { loadConfig, loadLocalStackSettings } from '../../functions/config';
import { returnPathOf, rolesOf, SESSION_IDLE_MS, SESSION_LIFETIME_MS, sessionStatus, shouldTouch, usernameOf } from '../../functions/core/console-session';

const at = (iso: string, ms = 0) => new Date(Date.parse(iso) + ms);
const T0 = '2026-12-01T09:00:00.000Z';

describe('console sessions (core)', () => {
  it('are live until 30 minutes without use, and never past 8 hours after sign-in', () => {
    const s = { createdAt: T0, lastUsedAt: T0 };
    expect(sessionStatus(s, at(T0, SESSION_IDLE_MS - 1))).toBe('live');
    expect(sessionStatus(s, at(T0, SESSION_IDLE_MS))).toBe('idle');
    const used = { createdAt: T0, lastUsedAt: at(T0, SESSION_LIFETIME_MS - 60_000).toISOString() };
    expect(sessionStatus(used, at(T0, SESSION_LIFETIME_MS - 1))).toBe('live');
    expect(sessionStatus(used, at(T0, SESSION_LIFETIME_MS))).toBe('expired');
  });

  it('write their last use at most once a minute', () => {
    expect(shouldTouch({ lastUsedAt: T0 }, at(T0, 59_999))).toBe(false);
    expect(shouldTouch({ lastUsedAt: T0 }, at(T0, 60_000))).toBe(true);
  });

  it('take roles from known groups only, whatever else the claim holds', () => {
    expect(rolesOf(['marketing', 'privacy-officer'])).toEqual(['officer', 'marketer']);
    expect(rolesOf('privacy-officer')).toEqual(['officer']);
    expect(rolesOf(['staff', '__proto__', 'constructor', 'toString', 7, null])).toEqual([]);
    expect(rolesOf(undefined)).toEqual([]);
    expect(rolesOf({ 'privacy-officer': true })).toEqual([]);
  });

  it('take a printable, bounded username', () => {
    expect(usernameOf('officer')).toBe('officer');
    for (const bad of ['', 'a b', 'x'.repeat(129), 'line\nbreak', 42, undefined]) expect(usernameOf(bad), String(bad)).toBeUndefined();
  });

  it('return only to a console path of this site', () => {
    expect(returnPathOf('/console/inquiries?status=received')).toBe('/console/inquiries?status=received');
    expect(returnPathOf('/console')).toBe('/console');
    for (const bad of ['//evil.example/console', '/consolex', '/console//evil', '/console\\evil', 'https://evil.example/console', '/u/abc', undefined]) {
      expect(returnPathOf(bad), String(bad)).toBe('/console');
    }
  });
});

describe("the console's config", () => {
  const key = Buffer.alloc(32, 5).toString('base64');
  const env = { TABLE_NAME: 'privacy', TOKEN_KEYS: JSON.stringify({ a: key }), TOKEN_SIGNING_KEY_ID: 'a', EMAIL_PEPPER: key };
  const cognito = 'https://cognito-idp.ap-northeast-1.amazonaws.com/ap-northeast-1_abc';

  it('has no console without an issuer, and needs a client id with one', () => {
    expect(loadConfig({ ...env, PUBLIC_BASE_URL: 'https://p.example' }).console).toBeUndefined();
    expect(() => loadConfig({ ...env, PUBLIC_BASE_URL: 'https://p.example', CONSOLE_OIDC_ISSUER: cognito })).toThrow(/CONSOLE_OIDC_CLIENT_ID/);
  });

  it('sets Secure cookies wherever the console is served over HTTPS, and TLS to the provider is never off but for loopback', () => {
    const c = loadConfig({ ...env, PUBLIC_BASE_URL: 'https://p.example', CONSOLE_OIDC_ISSUER: cognito, CONSOLE_OIDC_CLIENT_ID: 'c' }).console;
    expect(c).toEqual({ issuer: cognito, clientId: 'c', baseUrl: 'https://p.example', allowInsecureRequests: false, secureCookies: true });
    expect(() =>
      loadConfig({
        ...env,
        PUBLIC_BASE_URL: 'https://p.example',
        CONSOLE_OIDC_ISSUER: cognito,
        CONSOLE_OIDC_CLIENT_ID: 'c',
        CONSOLE_OIDC_ALLOW_INSECURE: 'true',
      }),
    ).toThrow(/CONSOLE_OIDC_ALLOW_INSECURE/);
    const local = loadConfig({
      ...env,
      PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
      CONSOLE_OIDC_ISSUER: 'http://127.0.0.1:8010',
      CONSOLE_OIDC_CLIENT_ID: 'console',
      CONSOLE_OIDC_ALLOW_INSECURE: 'true',
    }).console;
    expect(local).toMatchObject({ allowInsecureRequests: true, secureCookies: false });
  });

  it('serves the console at CONSOLE_BASE_URL when given, else at PUBLIC_BASE_URL; its cookies are Secure as its own base is https', () => {
    const signIn = { ...env, CONSOLE_OIDC_ISSUER: cognito, CONSOLE_OIDC_CLIENT_ID: 'c' };
    const apart = loadConfig({ ...signIn, PUBLIC_BASE_URL: 'https://u.example.jp', CONSOLE_BASE_URL: 'https://console.example.jp/' });
    expect(apart.console).toMatchObject({ baseUrl: 'https://console.example.jp', secureCookies: true });
    expect(apart.publicBaseUrl).toBe('https://u.example.jp');
    expect(loadConfig({ ...signIn, PUBLIC_BASE_URL: 'https://u.example.jp/' }).console?.baseUrl).toBe('https://u.example.jp');
    const plain = loadConfig({ ...signIn, PUBLIC_BASE_URL: 'https://u.example.jp', CONSOLE_BASE_URL: 'http://127.0.0.1:3000' }).console;
    expect(plain).toMatchObject({ baseUrl: 'http://127.0.0.1:3000', secureCookies: false });
    expect(() => loadConfig({ ...signIn, PUBLIC_BASE_URL: 'https://u.example.jp', CONSOLE_BASE_URL: 'console.example.jp' })).toThrow(/CONSOLE_BASE_URL/);
    // The console's routes and its cookies' Path=/console are at the host's root: an origin only.
    for (const withPath of ['https://x.example.jp/admin', 'https://x.example.jp/?a=1', 'https://x.example.jp/#top']) {
      expect(() => loadConfig({ ...signIn, PUBLIC_BASE_URL: 'https://u.example.jp', CONSOLE_BASE_URL: withPath }), withPath).toThrow(/CONSOLE_BASE_URL/);
    }
  });

  it('reads OIDC_PORT (default 8010) and CONSOLE_PASSWORD for the local stack', () => {
    expect(loadLocalStackSettings({}).OIDC_PORT).toBe(8010);
    expect(loadLocalStackSettings({ OIDC_PORT: '9010', CONSOLE_PASSWORD: 'long-enough' })).toMatchObject({ OIDC_PORT: 9010, CONSOLE_PASSWORD: 'long-enough' });
    expect(() => loadLocalStackSettings({ CONSOLE_PASSWORD: 'short' })).toThrow(/CONSOLE_PASSWORD/);
  });
});

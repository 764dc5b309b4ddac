import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadLocalStackSettings } from '../../functions/config';
import { createLogger } from '../../functions/log';

const key = Buffer.alloc(32, 5).toString('base64');
const base = {
  TABLE_NAME: 'privacy',
  PUBLIC_BASE_URL: 'https://prefs.livlog.jp/',
  TOKEN_KEYS: JSON.stringify({ a: key }),
  TOKEN_SIGNING_KEY_ID: 'a',
  EMAIL_PEPPER: key,
};

describe('config', () => {
  it('reads a valid environment once, with defaults', () => {
    const c = loadConfig(base);
    expect(c.publicBaseUrl).toBe('https://prefs.livlog.jp');
    expect(c.maxBodyBytes).toBe(1024 * 1024);
    expect(c.adminAuth).toEqual({ mode: 'iam' });
    expect(c.brands.list).toHaveLength(4);
    expect(c.intakeLimitPerIp).toBe(20);
  });

  it('lets tests raise the per-IP intake limit, and refuses a limit that is not a positive whole number', () => {
    expect(loadConfig({ ...base, INTAKE_LIMIT_PER_IP: '1000' }).intakeLimitPerIp).toBe(1000);
    expect(() => loadConfig({ ...base, INTAKE_LIMIT_PER_IP: '0' })).toThrow(/INTAKE_LIMIT_PER_IP/);
    expect(() => loadConfig({ ...base, INTAKE_LIMIT_PER_IP: 'many' })).toThrow(/INTAKE_LIMIT_PER_IP/);
    // `npm start` passes it on, so that e2e suites against the local stack can raise it too.
    expect(loadLocalStackSettings({ INTAKE_LIMIT_PER_IP: '500' }).INTAKE_LIMIT_PER_IP).toBe(500);
    expect(loadLocalStackSettings({}).INTAKE_LIMIT_PER_IP).toBeUndefined();
  });

  it('fails fast naming the variable', () => {
    expect(() => loadConfig({ ...base, PUBLIC_BASE_URL: 'nope' })).toThrow(/PUBLIC_BASE_URL/);
    expect(() => loadConfig({ ...base, TOKEN_SIGNING_KEY_ID: 'b' })).toThrow(/TOKEN_SIGNING_KEY_ID/);
    expect(() => loadConfig({ ...base, EMAIL_PEPPER: 'c2hvcnQ=' })).toThrow(/EMAIL_PEPPER/);
    expect(() => loadConfig({ ...base, ADMIN_AUTH: 'bearer' })).toThrow(/ADMIN_TOKEN/);
    expect(() => loadConfig({ ...base, BRANDS_FILE: '/nonexistent.json' })).toThrow(ConfigError);
  });

  it('bounds every call to the store and to SES, with defaults a silent store turns into a 503 inside 5 s', () => {
    const c = loadConfig(base);
    expect(c.storeTimeouts).toEqual({ connectMs: 1000, requestMs: 2000, maxAttempts: 2 });
    expect(c.sesTimeouts).toEqual({ connectMs: 1000, requestMs: 5000 });
    expect(loadConfig({ ...base, DYNAMODB_REQUEST_TIMEOUT_MS: '800', DYNAMODB_MAX_ATTEMPTS: '4' }).storeTimeouts).toMatchObject({
      requestMs: 800,
      maxAttempts: 4,
    });
    expect(() => loadConfig({ ...base, DYNAMODB_REQUEST_TIMEOUT_MS: '0' })).toThrow(/DYNAMODB_REQUEST_TIMEOUT_MS/);
    expect(() => loadConfig({ ...base, DYNAMODB_MAX_ATTEMPTS: '2.5' })).toThrow(/DYNAMODB_MAX_ATTEMPTS/);
    expect(() => loadConfig({ ...base, SES_REQUEST_TIMEOUT_MS: 'soon' })).toThrow(/SES_REQUEST_TIMEOUT_MS/);
  });
});

describe('logger', () => {
  it('writes JSON lines and never personal fields', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l) }).child({ requestId: 'r1' });
    log.info('unsubscribed', { email: 'taro@example.com', name: 'Taro', brand: 'livlog', count: 2 });
    const entry = JSON.parse(lines[0] ?? '{}');
    expect(entry).toMatchObject({ level: 'info', msg: 'unsubscribed', requestId: 'r1', brand: 'livlog', count: 2, email: '[redacted]', name: '[redacted]' });
    expect(lines.join()).not.toContain('taro');
  });
});

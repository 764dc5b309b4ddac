import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadLocalStackSettings, readTimeouts } from '../../functions/config';

/**
 * The rules of every variable, pinned one by one: the validators are hand-written (no schema
 * library at cold start), so each default, coercion, bound and message is held here.
 */
const key = (bytes: number, fill = 5) => Buffer.alloc(bytes, fill).toString('base64');
const base = {
  TABLE_NAME: 'privacy',
  PUBLIC_BASE_URL: 'https://prefs.livlog.jp/',
  TOKEN_KEYS: JSON.stringify({ a: key(32) }),
  TOKEN_SIGNING_KEY_ID: 'a',
  EMAIL_PEPPER: key(32),
};

function failure(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('config: defaults', () => {
  it('gives every optional variable its default', () => {
    const { brands, tokenKeys, emailPepper, ...rest } = loadConfig(base);
    expect(rest).toEqual({
      tableName: 'privacy',
      region: 'ap-northeast-1',
      publicBaseUrl: 'https://prefs.livlog.jp',
      adminAuth: { mode: 'iam' },
      maxBodyBytes: 1024 * 1024,
      logLevel: 'info',
      policyVersion: '2026-04-01',
      privacyOfficerEmail: 'privacy@livlog.jp',
      campaignSendRate: 1,
      transactionalSenderRoles: [],
      inquiryRetentionYears: 3,
      answerFloorMs: 500,
      intakeLimitPerIp: 20,
      storeTimeouts: { connectMs: 1000, requestMs: 2000, maxAttempts: 2 },
      sesTimeouts: { connectMs: 1000, requestMs: 5000 },
    });
    expect(brands.list).toHaveLength(4);
    expect(tokenKeys).toEqual({ signingKeyId: 'a', keys: { a: Buffer.alloc(32, 5) } });
    expect(Buffer.from(emailPepper)).toEqual(Buffer.alloc(32, 5));
  });

  it('gives the local stack its defaults and nothing it was not given', () => {
    expect(loadLocalStackSettings({ UNRELATED: 'x' })).toEqual({
      PORT: 3000,
      DYNAMODB_PORT: 8000,
      SES_PORT: 8005,
      DATA_DIR: '.data',
      LOG_LEVEL: 'info',
      OIDC_PORT: 8010,
    });
    expect(readTimeouts({})).toEqual({
      storeTimeouts: { connectMs: 1000, requestMs: 2000, maxAttempts: 2 },
      sesTimeouts: { connectMs: 1000, requestMs: 5000 },
    });
  });
});

describe('config: values read', () => {
  it('reads numbers as Number() does, and keeps fractions where no whole number is asked', () => {
    const c = loadConfig({
      ...base,
      MAX_BODY_BYTES: ' 2048 ',
      CAMPAIGN_SEND_RATE: '0.5',
      INQUIRY_RETENTION_YEARS: '1e1',
      INTAKE_LIMIT_PER_IP: '0x10',
      ANSWER_FLOOR_MS: '',
      DYNAMODB_MAX_ATTEMPTS: '10',
      SES_REQUEST_TIMEOUT_MS: '300000',
    });
    expect([c.maxBodyBytes, c.campaignSendRate, c.inquiryRetentionYears, c.intakeLimitPerIp, c.answerFloorMs]).toEqual([2048, 0.5, 10, 16, 0]);
    expect(c.storeTimeouts.maxAttempts).toBe(10);
    expect(c.sesTimeouts.requestMs).toBe(300000);
  });

  it('trims URLs, drops the base URL trailing slashes and the tabs and line breaks a URL parser ignores', () => {
    const c = loadConfig({
      ...base,
      PUBLIC_BASE_URL: '  https://prefs.livlog.jp/base//  ',
      DYNAMODB_ENDPOINT: 'http://local\thost:8000',
      SES_ENDPOINT: 'http://127.0.0.1:8005',
      CAMPAIGN_QUEUE_URL: 'https://sqs.ap-northeast-1.amazonaws.com/1/q',
    });
    expect([c.publicBaseUrl, c.dynamodbEndpoint, c.sesEndpoint, c.campaignQueueUrl]).toEqual([
      'https://prefs.livlog.jp/base',
      'http://localhost:8000',
      'http://127.0.0.1:8005',
      'https://sqs.ap-northeast-1.amazonaws.com/1/q',
    ]);
  });

  it('reads key rings as base64 by key id, and the optional values only when given', () => {
    const c = loadConfig({
      ...base,
      TOKEN_KEYS: JSON.stringify({ new: key(32, 1), old: key(48, 2) }),
      TOKEN_SIGNING_KEY_ID: 'new',
      CONSENT_PROOF_KEYS: JSON.stringify({ p1: key(32, 3) }),
      CONSENT_PROOF_KEY_ID: 'p1',
      ADMIN_AUTH: 'bearer',
      ADMIN_TOKEN: 'x'.repeat(16),
      SES_CONFIGURATION_SET: 'privacy',
      MAILTO_UNSUBSCRIBE: 'unsubscribe@livlog.jp',
      TRANSACTIONAL_SENDER_ROLES: '["orders-mailer"]',
      LOG_LEVEL: 'debug',
    });
    expect(c.tokenKeys).toEqual({ signingKeyId: 'new', keys: { new: Buffer.alloc(32, 1), old: Buffer.alloc(48, 2) } });
    expect(c.consentProofKey).toEqual({ sealingKeyId: 'p1', keys: { p1: Buffer.alloc(32, 3) } });
    expect(c.adminAuth).toEqual({ mode: 'bearer', token: 'x'.repeat(16) });
    expect([c.sesConfigurationSet, c.mailtoUnsubscribe, c.logLevel]).toEqual(['privacy', 'unsubscribe@livlog.jp', 'debug']);
    expect(c.transactionalSenderRoles).toEqual(['orders-mailer']);
    const blank = loadConfig({ ...base, SES_CONFIGURATION_SET: '', BRANDS_FILE: '', POLICY_VERSION: '' });
    expect(blank).not.toHaveProperty('sesConfigurationSet');
    expect(blank.policyVersion).toBe('');
    expect(blank.brands.list).toHaveLength(4);
  });

  it('lets the second argument override the environment', () => {
    expect(loadConfig({ ...base, TABLE_NAME: 'no' }, { TABLE_NAME: 'privacy-2' }).tableName).toBe('privacy-2');
  });
});

describe('config: a bad value names its variable', () => {
  const cases: [Record<string, string>, string][] = [
    [{ TABLE_NAME: 'ab' }, 'TABLE_NAME: Too small: expected string to have >=3 characters'],
    [{ TABLE_NAME: 'x'.repeat(256) }, 'TABLE_NAME: Too big: expected string to have <=255 characters'],
    [{ PUBLIC_BASE_URL: 'not a url' }, 'PUBLIC_BASE_URL: Invalid URL'],
    [{ DYNAMODB_ENDPOINT: '' }, 'DYNAMODB_ENDPOINT: Invalid URL'],
    [{ SES_ENDPOINT: 'localhost' }, 'SES_ENDPOINT: Invalid URL'],
    [{ CAMPAIGN_QUEUE_URL: '/queue' }, 'CAMPAIGN_QUEUE_URL: Invalid URL'],
    [{ ADMIN_AUTH: 'none' }, 'ADMIN_AUTH: Invalid option: expected one of "bearer"|"iam"'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN: Too small: expected string to have >=16 characters'],
    // Lengths in code points: 8 characters outside the BMP are 16 UTF-16 units, and still too short.
    [{ ADMIN_TOKEN: '\u{1F511}'.repeat(8) }, 'ADMIN_TOKEN: Too small: expected string to have >=16 characters'],
    [{ TOKEN_KEYS: 'nope' }, 'TOKEN_KEYS: must be JSON {"keyId": "<base64 secret>", ...}'],
    [{ TOKEN_KEYS: '[]' }, 'TOKEN_KEYS: must be JSON {"keyId": "<base64 secret>", ...}'],
    [{ TOKEN_KEYS: JSON.stringify({ 'a b': key(32) }) }, 'TOKEN_KEYS: must be JSON {"keyId": "<base64 secret>", ...}'],
    [{ TOKEN_KEYS: JSON.stringify({ ['k'.repeat(17)]: key(32) }) }, 'TOKEN_KEYS: must be JSON {"keyId": "<base64 secret>", ...}'],
    [{ TOKEN_KEYS: JSON.stringify({ a: '' }) }, 'TOKEN_KEYS: must be JSON {"keyId": "<base64 secret>", ...}'],
    [{ TOKEN_KEYS: JSON.stringify({ a: 5 }) }, 'TOKEN_KEYS: must be JSON {"keyId": "<base64 secret>", ...}'],
    [{ TOKEN_KEYS: JSON.stringify({ a: key(31) }) }, 'TOKEN_KEYS: every key needs at least 32 bytes'],
    [{ TOKEN_SIGNING_KEY_ID: '' }, 'TOKEN_SIGNING_KEY_ID: Too small: expected string to have >=1 characters'],
    [
      { CONSENT_PROOF_KEYS: JSON.stringify({ p: key(16) }), CONSENT_PROOF_KEY_ID: 'p' },
      'CONSENT_PROOF_KEYS: every key needs at least 32 bytes; CONSENT_PROOF_KEYS: AES-256 needs keys of exactly 32 bytes',
    ],
    [{ CONSENT_PROOF_KEYS: JSON.stringify({ p: key(48) }), CONSENT_PROOF_KEY_ID: 'p' }, 'CONSENT_PROOF_KEYS: AES-256 needs keys of exactly 32 bytes'],
    [{ CONSENT_PROOF_KEYS: '', CONSENT_PROOF_KEY_ID: 'p' }, 'CONSENT_PROOF_KEYS: must be JSON {"keyId": "<base64 secret>", ...}'],
    [{ CONSENT_PROOF_KEY_ID: '' }, 'CONSENT_PROOF_KEY_ID: Too small: expected string to have >=1 characters'],
    [{ EMAIL_PEPPER: '' }, 'EMAIL_PEPPER: Too small: expected string to have >=1 characters'],
    [{ EMAIL_PEPPER: key(31) }, 'EMAIL_PEPPER: needs at least 32 bytes (base64)'],
    [{ MAX_BODY_BYTES: '1.5' }, 'MAX_BODY_BYTES: Invalid input: expected int, received number'],
    [{ MAX_BODY_BYTES: '0' }, 'MAX_BODY_BYTES: Too small: expected number to be >0'],
    [{ MAX_BODY_BYTES: 'lots' }, 'MAX_BODY_BYTES: Invalid input: expected number, received NaN'],
    [{ MAX_BODY_BYTES: '9007199254740993' }, 'MAX_BODY_BYTES: Too big: expected int to be <=9007199254740991'],
    [{ LOG_LEVEL: 'INFO' }, 'LOG_LEVEL: Invalid option: expected one of "debug"|"info"|"warn"|"error"'],
    [{ PRIVACY_OFFICER_EMAIL: 'privacy@livlog' }, 'PRIVACY_OFFICER_EMAIL: Invalid email address'],
    [{ MAILTO_UNSUBSCRIBE: ' u@livlog.jp' }, 'MAILTO_UNSUBSCRIBE: Invalid email address'],
    [{ CAMPAIGN_SEND_RATE: '0' }, 'CAMPAIGN_SEND_RATE: Too small: expected number to be >0'],
    [{ CAMPAIGN_SEND_RATE: '1e400' }, 'CAMPAIGN_SEND_RATE: Invalid input: expected number, received Infinity'],
    [{ TRANSACTIONAL_SENDER_ROLES: '["a b"]' }, 'TRANSACTIONAL_SENDER_ROLES: must be a JSON array of IAM role names, e.g. ["orders-mailer"]'],
    [{ TRANSACTIONAL_SENDER_ROLES: '' }, 'TRANSACTIONAL_SENDER_ROLES: must be a JSON array of IAM role names, e.g. ["orders-mailer"]'],
    [{ TRANSACTIONAL_SENDER_ROLES: '{}' }, 'TRANSACTIONAL_SENDER_ROLES: must be a JSON array of IAM role names, e.g. ["orders-mailer"]'],
    [{ INQUIRY_RETENTION_YEARS: '-1' }, 'INQUIRY_RETENTION_YEARS: Too small: expected number to be >0'],
    [{ ANSWER_FLOOR_MS: '-1' }, 'ANSWER_FLOOR_MS: Too small: expected number to be >=0'],
    [{ ANSWER_FLOOR_MS: '10001' }, 'ANSWER_FLOOR_MS: Too big: expected number to be <=10000'],
    [{ INTAKE_LIMIT_PER_IP: '2.5' }, 'INTAKE_LIMIT_PER_IP: Invalid input: expected int, received number'],
    [{ CONSOLE_OIDC_ISSUER: 'cognito' }, 'CONSOLE_OIDC_ISSUER: Invalid URL'],
    [{ CONSOLE_OIDC_CLIENT_ID: '' }, 'CONSOLE_OIDC_CLIENT_ID: Too small: expected string to have >=1 characters'],
    [{ CONSOLE_OIDC_CLIENT_ID: 'c'.repeat(257) }, 'CONSOLE_OIDC_CLIENT_ID: Too big: expected string to have <=256 characters'],
    [{ CONSOLE_OIDC_LOGOUT_URL: 'logout' }, 'CONSOLE_OIDC_LOGOUT_URL: Invalid URL'],
    [{ CONSOLE_OIDC_ALLOW_INSECURE: 'yes' }, 'CONSOLE_OIDC_ALLOW_INSECURE: Invalid option: expected one of "true"|"false"'],
    [{ DYNAMODB_CONNECT_TIMEOUT_MS: '300001' }, 'DYNAMODB_CONNECT_TIMEOUT_MS: Too big: expected number to be <=300000'],
    [{ DYNAMODB_REQUEST_TIMEOUT_MS: '-0.5' }, 'DYNAMODB_REQUEST_TIMEOUT_MS: Invalid input: expected int, received number'],
    [{ DYNAMODB_MAX_ATTEMPTS: '0' }, 'DYNAMODB_MAX_ATTEMPTS: Too small: expected number to be >=1'],
    [{ DYNAMODB_MAX_ATTEMPTS: '11' }, 'DYNAMODB_MAX_ATTEMPTS: Too big: expected number to be <=10'],
    [{ SES_CONNECT_TIMEOUT_MS: '0' }, 'SES_CONNECT_TIMEOUT_MS: Too small: expected number to be >0'],
    [{ SES_REQUEST_TIMEOUT_MS: 'soon' }, 'SES_REQUEST_TIMEOUT_MS: Invalid input: expected number, received NaN'],
  ];
  it.each(cases)('%j', (bad, message) => {
    expect(failure(() => loadConfig({ ...base, ...bad })).message).toBe(`invalid environment: ${message}`);
  });

  it('reports every bad variable at once, in the order they are read', () => {
    expect(failure(() => loadConfig({})).message).toBe(
      'invalid environment: TABLE_NAME: Invalid input: expected string, received undefined; PUBLIC_BASE_URL: Invalid input: expected string, received undefined; ' +
        'TOKEN_KEYS: Invalid input: expected string, received undefined; TOKEN_SIGNING_KEY_ID: Invalid input: expected string, received undefined; ' +
        'EMAIL_PEPPER: Invalid input: expected string, received undefined',
    );
    expect(failure(() => loadConfig({ ...base, MAX_BODY_BYTES: 'x', DYNAMODB_MAX_ATTEMPTS: '0.5', ANSWER_FLOOR_MS: '10001', ADMIN_AUTH: 'x' })).message).toBe(
      'invalid environment: DYNAMODB_MAX_ATTEMPTS: Invalid input: expected int, received number; ADMIN_AUTH: Invalid option: expected one of "bearer"|"iam"; ' +
        'MAX_BODY_BYTES: Invalid input: expected number, received NaN; ANSWER_FLOOR_MS: Too big: expected number to be <=10000',
    );
    expect(failure(() => readTimeouts({ DYNAMODB_CONNECT_TIMEOUT_MS: '300001', SES_CONNECT_TIMEOUT_MS: '-1', DYNAMODB_MAX_ATTEMPTS: '11' })).message).toBe(
      'DYNAMODB_CONNECT_TIMEOUT_MS: Too big: expected number to be <=300000; DYNAMODB_MAX_ATTEMPTS: Too big: expected number to be <=10; ' +
        'SES_CONNECT_TIMEOUT_MS: Too small: expected number to be >0',
    );
  });

  it('checks the variables against each other once each is valid', () => {
    const cross: [Record<string, string>, string][] = [
      [{ TOKEN_SIGNING_KEY_ID: 'b' }, 'TOKEN_SIGNING_KEY_ID: "b" is not a key of TOKEN_KEYS'],
      [{ TOKEN_KEYS: '{}' }, 'TOKEN_SIGNING_KEY_ID: "a" is not a key of TOKEN_KEYS'],
      [{ CONSENT_PROOF_KEYS: JSON.stringify({ p: key(32) }) }, 'CONSENT_PROOF_KEYS and CONSENT_PROOF_KEY_ID: give both or neither'],
      [{ CONSENT_PROOF_KEY_ID: 'p' }, 'CONSENT_PROOF_KEYS and CONSENT_PROOF_KEY_ID: give both or neither'],
      [{ CONSENT_PROOF_KEYS: JSON.stringify({ p: key(32) }), CONSENT_PROOF_KEY_ID: 'q' }, 'CONSENT_PROOF_KEY_ID: "q" is not a key of CONSENT_PROOF_KEYS'],
      [{ ADMIN_AUTH: 'bearer' }, 'ADMIN_TOKEN: required when ADMIN_AUTH=bearer'],
      [{ CONSOLE_OIDC_ISSUER: 'https://idp.example' }, 'CONSOLE_OIDC_CLIENT_ID: required when CONSOLE_OIDC_ISSUER is set'],
      [
        { CONSOLE_OIDC_ISSUER: 'http://idp.example', CONSOLE_OIDC_CLIENT_ID: 'c', CONSOLE_OIDC_ALLOW_INSECURE: 'true' },
        'CONSOLE_OIDC_ALLOW_INSECURE: only for an issuer on the loopback address',
      ],
    ];
    for (const [bad, message] of cross) expect(failure(() => loadConfig({ ...base, ...bad })).message, JSON.stringify(bad)).toBe(message);
    expect(failure(() => loadConfig({ ...base, BRANDS_FILE: '/nonexistent.json' })).message).toMatch(/^BRANDS_FILE: cannot read \/nonexistent\.json as JSON/);
  });

  it('reads the console sign-in only with an issuer', () => {
    const c = loadConfig({
      ...base,
      CONSOLE_OIDC_ISSUER: ' https://idp.example/pool ',
      CONSOLE_OIDC_CLIENT_ID: 'c',
      CONSOLE_OIDC_LOGOUT_URL: 'https://auth.example/logout',
    });
    expect(c.console).toEqual({
      issuer: 'https://idp.example/pool',
      clientId: 'c',
      logoutUrl: 'https://auth.example/logout',
      baseUrl: 'https://prefs.livlog.jp',
      allowInsecureRequests: false,
      secureCookies: true,
    });
    expect(loadConfig({ ...base, CONSOLE_OIDC_CLIENT_ID: 'c' })).not.toHaveProperty('console');
  });
});

describe('config: the local stack', () => {
  it('reads what it is given and refuses bad values, all of them at once', () => {
    expect(
      loadLocalStackSettings({ PORT: '3001', ADMIN_TOKEN: 't'.repeat(16), PUBLIC_BASE_URL: ' http://x/ ', BRANDS_FILE: 'b.json', CAMPAIGN_SEND_RATE: '2.5' }),
    ).toEqual({
      PORT: 3001,
      DYNAMODB_PORT: 8000,
      SES_PORT: 8005,
      DATA_DIR: '.data',
      ADMIN_TOKEN: 't'.repeat(16),
      PUBLIC_BASE_URL: 'http://x/',
      BRANDS_FILE: 'b.json',
      LOG_LEVEL: 'info',
      CAMPAIGN_SEND_RATE: 2.5,
      OIDC_PORT: 8010,
    });
    expect(
      failure(() =>
        loadLocalStackSettings({
          PORT: '80.5',
          DYNAMODB_PORT: '0',
          SES_PORT: '',
          DATA_DIR: '',
          ADMIN_TOKEN: 'short',
          PUBLIC_BASE_URL: 'x',
          LOG_LEVEL: 'x',
          CAMPAIGN_SEND_RATE: '0',
          INTAKE_LIMIT_PER_IP: '0',
          OIDC_PORT: '65536',
          CONSOLE_PASSWORD: '1234567',
        }),
      ).message,
    ).toBe(
      [
        'PORT: Invalid input: expected int, received number',
        'DYNAMODB_PORT: Too small: expected number to be >=1',
        'SES_PORT: Too small: expected number to be >=1',
        'DATA_DIR: Too small: expected string to have >=1 characters',
        'ADMIN_TOKEN: Too small: expected string to have >=16 characters',
        'PUBLIC_BASE_URL: Invalid URL',
        'LOG_LEVEL: Invalid option: expected one of "debug"|"info"|"warn"|"error"',
        'CAMPAIGN_SEND_RATE: Too small: expected number to be >0',
        'INTAKE_LIMIT_PER_IP: Too small: expected number to be >0',
        'OIDC_PORT: Too big: expected number to be <=65535',
        'CONSOLE_PASSWORD: Too small: expected string to have >=8 characters',
      ].join('; '),
    );
  });
});

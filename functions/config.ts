import { readFileSync } from 'node:fs';
import bundledBrands from './brands.json' with { type: 'json' };
import { type ConsoleConfig, consoleOf, consoleShape } from './config-console';
import { type Brands, formatPath, parseBrands } from './core/brands';
import { ROLE_NAME } from './core/caller';
import {
  array,
  type Check,
  email,
  json,
  map,
  number,
  object,
  oneOf,
  optional,
  parse,
  record,
  refine,
  type Shaped,
  string,
  url,
  withDefault,
} from './core/check';
import { ConfigError } from './core/errors';
import { SES_TIMEOUT_DEFAULTS, type SesTimeouts } from './mail/ses-client';
import { STORE_TIMEOUT_DEFAULTS, type StoreTimeouts } from './store/timeouts';

/**
 * The one place that reads the environment. Everything is validated here, once per cold start,
 * and a bad value fails fast naming the variable. The checks are core/check.ts, not a schema
 * library: this runs before the first request of every function, where loading one costs.
 */
const keyMap = refine(
  map(json(record(string({ pattern: /^[A-Za-z0-9_-]{1,16}$/ }), string({ min: 1 })), 'must be JSON {"keyId": "<base64 secret>", ...}'), (ring) =>
    Object.fromEntries(Object.entries(ring).map(([id, secret]) => [id, Buffer.from(secret, 'base64')])),
  ),
  (keys, report) => {
    if (!Object.values(keys).every((k) => k.length >= 32)) report('every key needs at least 32 bytes');
  },
);

const millis = (fallback: number) => withDefault(number({ int: true, positive: true, max: 300_000 }), fallback);
const port = (fallback: number) => withDefault(number({ int: true, min: 1, max: 65535 }), fallback);
const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** What one call to the store or to SES may take (store/timeouts.ts, mail/ses-client.ts). */
const timeoutsShape = {
  DYNAMODB_CONNECT_TIMEOUT_MS: millis(STORE_TIMEOUT_DEFAULTS.connectMs),
  DYNAMODB_REQUEST_TIMEOUT_MS: millis(STORE_TIMEOUT_DEFAULTS.requestMs),
  DYNAMODB_MAX_ATTEMPTS: withDefault(number({ int: true, min: 1, max: 10 }), STORE_TIMEOUT_DEFAULTS.maxAttempts),
  SES_CONNECT_TIMEOUT_MS: millis(SES_TIMEOUT_DEFAULTS.connectMs),
  SES_REQUEST_TIMEOUT_MS: millis(SES_TIMEOUT_DEFAULTS.requestMs),
};

const envShape = {
  ...timeoutsShape,
  TABLE_NAME: string({ min: 3, max: 255 }),
  AWS_REGION: withDefault(string(), 'ap-northeast-1'),
  DYNAMODB_ENDPOINT: optional(url),
  SES_ENDPOINT: optional(url),
  PUBLIC_BASE_URL: map(url, (u) => u.replace(/\/+$/, '')),
  /** `bearer` locally; `iam` behind API Gateway's IAM authorizer. */
  ADMIN_AUTH: withDefault(oneOf(['bearer', 'iam']), 'iam'),
  ADMIN_TOKEN: optional(string({ min: 16 })),
  TOKEN_KEYS: keyMap,
  TOKEN_SIGNING_KEY_ID: string({ min: 1 }),
  /**
   * The keys that seal an erasure's proof of consent (core/consent-proof.ts), like TOKEN_KEYS: one
   * seals, all open. Only the privileged functions get them (their own secret, lib/); the public
   * function has none, and an erasure there could not keep the proof.
   */
  CONSENT_PROOF_KEYS: optional(
    refine(keyMap, (keys, report) => {
      if (!Object.values(keys).every((k) => k.length === 32)) report('AES-256 needs keys of exactly 32 bytes');
    }),
  ),
  CONSENT_PROOF_KEY_ID: optional(string({ min: 1 })),
  EMAIL_PEPPER: refine(
    map(string({ min: 1 }), (s) => Buffer.from(s, 'base64')),
    (b, report) => {
      if (b.length < 32) report('needs at least 32 bytes (base64)');
    },
  ),
  MAX_BODY_BYTES: withDefault(number({ int: true, positive: true }), 1024 * 1024),
  LOG_LEVEL: withDefault(oneOf(LOG_LEVELS), 'info'),
  BRANDS_FILE: optional(string()),
  POLICY_VERSION: withDefault(string(), '2026-04-01'),
  PRIVACY_OFFICER_EMAIL: withDefault(email, 'privacy@livlog.jp'),
  SES_CONFIGURATION_SET: optional(string()),
  MAILTO_UNSUBSCRIBE: optional(email),
  /** SQS queue of campaign work in AWS; absent locally, where the worker runs in-process. */
  CAMPAIGN_QUEUE_URL: optional(url),
  /** Marketing sends per second across all campaigns (SES sandbox: 1). */
  CAMPAIGN_SEND_RATE: withDefault(number({ positive: true }), 1),
  /**
   * IAM role names (a JSON array) whose sessions may send transactional mail through the send
   * pipeline (CONTRACT.md "Sending"); behind IAM, any other caller gets 403. None by default.
   */
  TRANSACTIONAL_SENDER_ROLES: withDefault(json(array(string({ pattern: ROLE_NAME })), 'must be a JSON array of IAM role names, e.g. ["orders-mailer"]'), []),
  /** Years a closed inquiry is kept before it expires. */
  INQUIRY_RETENTION_YEARS: withDefault(number({ positive: true }), 3),
  /**
   * Milliseconds before which a subscription request or an inquiry is not answered, so that the
   * time taken does not tell whether the address is known (http/middleware.ts: answerNoSoonerThan).
   */
  ANSWER_FLOOR_MS: withDefault(number({ int: true, min: 0, max: 10_000 }), 500),
  /**
   * Requests an hour that one client IP may make to each public intake route (POST
   * /v1/subscriptions, POST /v1/inquiries) before `429` (CONTRACT.md "Errors": 20). Only for tests
   * and local trials that post more from loopback; a deployment keeps the default.
   */
  INTAKE_LIMIT_PER_IP: withDefault(number({ int: true, positive: true }), 20),
  ...consoleShape,
};

/** The shape's values, or `ConfigError` naming every bad variable. */
function readEnv<T>(check: Check<T>, env: Record<string, string | undefined>, prefix = ''): T {
  const result = parse(check, env);
  if (!result.ok) throw new ConfigError(`${prefix}${result.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}`);
  return result.value;
}

export interface Config {
  tableName: string;
  region: string;
  dynamodbEndpoint?: string;
  sesEndpoint?: string;
  publicBaseUrl: string;
  adminAuth: { mode: 'bearer'; token: string } | { mode: 'iam' };
  tokenKeys: { signingKeyId: string; keys: Record<string, Uint8Array> };
  /** Absent in every function but the privileged ones. */
  consentProofKey?: { sealingKeyId: string; keys: Record<string, Uint8Array> };
  emailPepper: Uint8Array;
  maxBodyBytes: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  brands: Brands;
  policyVersion: string;
  privacyOfficerEmail: string;
  sesConfigurationSet?: string;
  mailtoUnsubscribe?: string;
  campaignQueueUrl?: string;
  campaignSendRate: number;
  /** Role names that may send transactional mail when `adminAuth` is `iam`. @default none */
  transactionalSenderRoles: readonly string[];
  inquiryRetentionYears: number;
  answerFloorMs: number;
  /** Per client IP and hour, on each intake route. @default 20 */
  intakeLimitPerIp: number;
  storeTimeouts: StoreTimeouts;
  sesTimeouts: SesTimeouts;
  /** The console's sign-in, when this deployment serves the console. */
  console?: ConsoleConfig;
}

export type { ConsoleConfig };
export { ConfigError };

export function loadConfig(env: Record<string, string | undefined> = process.env, extra: Record<string, string> = {}): Config {
  const e = readEnv(object(envShape), { ...env, ...extra }, 'invalid environment: ');
  if (!Object.hasOwn(e.TOKEN_KEYS, e.TOKEN_SIGNING_KEY_ID))
    throw new ConfigError(`TOKEN_SIGNING_KEY_ID: "${e.TOKEN_SIGNING_KEY_ID}" is not a key of TOKEN_KEYS`);
  if ((e.CONSENT_PROOF_KEYS === undefined) !== (e.CONSENT_PROOF_KEY_ID === undefined))
    throw new ConfigError('CONSENT_PROOF_KEYS and CONSENT_PROOF_KEY_ID: give both or neither');
  if (e.CONSENT_PROOF_KEYS && e.CONSENT_PROOF_KEY_ID && !Object.hasOwn(e.CONSENT_PROOF_KEYS, e.CONSENT_PROOF_KEY_ID))
    throw new ConfigError(`CONSENT_PROOF_KEY_ID: "${e.CONSENT_PROOF_KEY_ID}" is not a key of CONSENT_PROOF_KEYS`);
  if (e.ADMIN_AUTH === 'bearer' && !e.ADMIN_TOKEN) throw new ConfigError('ADMIN_TOKEN: required when ADMIN_AUTH=bearer');
  return {
    tableName: e.TABLE_NAME,
    region: e.AWS_REGION,
    ...(e.DYNAMODB_ENDPOINT ? { dynamodbEndpoint: e.DYNAMODB_ENDPOINT } : {}),
    ...(e.SES_ENDPOINT ? { sesEndpoint: e.SES_ENDPOINT } : {}),
    publicBaseUrl: e.PUBLIC_BASE_URL,
    adminAuth: e.ADMIN_AUTH === 'bearer' ? { mode: 'bearer', token: e.ADMIN_TOKEN as string } : { mode: 'iam' },
    tokenKeys: { signingKeyId: e.TOKEN_SIGNING_KEY_ID, keys: e.TOKEN_KEYS },
    ...(e.CONSENT_PROOF_KEYS && e.CONSENT_PROOF_KEY_ID ? { consentProofKey: { sealingKeyId: e.CONSENT_PROOF_KEY_ID, keys: e.CONSENT_PROOF_KEYS } } : {}),
    emailPepper: e.EMAIL_PEPPER,
    maxBodyBytes: e.MAX_BODY_BYTES,
    logLevel: e.LOG_LEVEL,
    brands: loadBrands(e.BRANDS_FILE),
    policyVersion: e.POLICY_VERSION,
    privacyOfficerEmail: e.PRIVACY_OFFICER_EMAIL,
    ...(e.SES_CONFIGURATION_SET ? { sesConfigurationSet: e.SES_CONFIGURATION_SET } : {}),
    ...(e.MAILTO_UNSUBSCRIBE ? { mailtoUnsubscribe: e.MAILTO_UNSUBSCRIBE } : {}),
    ...(e.CAMPAIGN_QUEUE_URL ? { campaignQueueUrl: e.CAMPAIGN_QUEUE_URL } : {}),
    campaignSendRate: e.CAMPAIGN_SEND_RATE,
    transactionalSenderRoles: e.TRANSACTIONAL_SENDER_ROLES,
    inquiryRetentionYears: e.INQUIRY_RETENTION_YEARS,
    answerFloorMs: e.ANSWER_FLOOR_MS,
    intakeLimitPerIp: e.INTAKE_LIMIT_PER_IP,
    ...timeoutsOf(e),
    ...consoleOf(e),
  };
}

/**
 * The timeouts a function's environment gives (the defaults for what it leaves out), for the
 * stack to hold against the function's own timeout.
 */
export function readTimeouts(env: Record<string, string | undefined>): Pick<Config, 'storeTimeouts' | 'sesTimeouts'> {
  return timeoutsOf(readEnv(object(timeoutsShape), env));
}

const timeoutsOf = (e: Shaped<typeof timeoutsShape>): Pick<Config, 'storeTimeouts' | 'sesTimeouts'> => ({
  storeTimeouts: { connectMs: e.DYNAMODB_CONNECT_TIMEOUT_MS, requestMs: e.DYNAMODB_REQUEST_TIMEOUT_MS, maxAttempts: e.DYNAMODB_MAX_ATTEMPTS },
  sesTimeouts: { connectMs: e.SES_CONNECT_TIMEOUT_MS, requestMs: e.SES_REQUEST_TIMEOUT_MS },
});

/** In AWS the pepper and token keys come from Secrets Manager (see handlers/bootstrap.ts). */
export const secretsArnFromEnv = (env: Record<string, string | undefined> = process.env): string | undefined => env.SECRETS_ARN || undefined;

/** The privileged functions' own secret, holding the consent proof keys; no other function is given it. */
export const consentProofSecretArnFromEnv = (env: Record<string, string | undefined> = process.env): string | undefined =>
  env.CONSENT_PROOF_SECRET_ARN || undefined;

/** The bundled brands file, or another one named by BRANDS_FILE (local trials of a new brand). */
export function loadBrands(file?: string): Brands {
  if (!file) return parseBrands(bundledBrands);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new ConfigError(`BRANDS_FILE: cannot read ${file} as JSON (${(cause as Error).message})`);
  }
  return parseBrands(raw);
}

/** Settings of the local stack (`npm start`), CONTRACT.md "The local stack". */
const localShape = {
  PORT: port(3000),
  DYNAMODB_PORT: port(8000),
  SES_PORT: port(8005),
  DATA_DIR: withDefault(string({ min: 1 }), '.data'),
  ADMIN_TOKEN: optional(string({ min: 16 })),
  PUBLIC_BASE_URL: optional(url),
  BRANDS_FILE: optional(string()),
  LOG_LEVEL: withDefault(oneOf(LOG_LEVELS), 'info'),
  CAMPAIGN_SEND_RATE: optional(number({ positive: true })),
  INTAKE_LIMIT_PER_IP: optional(number({ int: true, positive: true })),
  OIDC_PORT: port(8010),
  CONSOLE_PASSWORD: optional(string({ min: 8 })),
};

export interface LocalStackSettings {
  PORT: number;
  DYNAMODB_PORT: number;
  SES_PORT: number;
  DATA_DIR: string;
  ADMIN_TOKEN?: string;
  PUBLIC_BASE_URL?: string;
  BRANDS_FILE?: string;
  LOG_LEVEL: (typeof LOG_LEVELS)[number];
  CAMPAIGN_SEND_RATE?: number;
  INTAKE_LIMIT_PER_IP?: number;
  OIDC_PORT: number;
  CONSOLE_PASSWORD?: string;
}

export function loadLocalStackSettings(env: Record<string, string | undefined> = process.env): LocalStackSettings {
  return readEnv(object(localShape), env);
}

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import bundledBrands from './brands.json' with { type: 'json' };
import { type Brands, formatPath, parseBrands } from './core/brands';
import { ROLE_NAME } from './core/caller';
import { StartupError } from './core/errors';
import { SES_TIMEOUT_DEFAULTS, type SesTimeouts } from './mail/ses-client';
import { STORE_TIMEOUT_DEFAULTS, type StoreTimeouts } from './store/timeouts';

/**
 * The one place that reads the environment. Everything is validated here, once per cold start,
 * and a bad value fails fast naming the variable.
 */
const keyMap = z
  .string()
  .transform((s, ctx) => {
    try {
      const parsed = z.record(z.string().regex(/^[A-Za-z0-9_-]{1,16}$/), z.string().min(1)).parse(JSON.parse(s));
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON {"keyId": "<base64 secret>", ...}' });
      return z.NEVER;
    }
  })
  .refine((keys) => Object.values(keys).every((k) => k.length >= 32), 'every key needs at least 32 bytes');

const millis = (fallback: number) => z.coerce.number().int().positive().max(300_000).default(fallback);

/** What one call to the store or to SES may take (store/timeouts.ts, mail/ses-client.ts). */
const timeoutsSchema = z.object({
  DYNAMODB_CONNECT_TIMEOUT_MS: millis(STORE_TIMEOUT_DEFAULTS.connectMs),
  DYNAMODB_REQUEST_TIMEOUT_MS: millis(STORE_TIMEOUT_DEFAULTS.requestMs),
  DYNAMODB_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(STORE_TIMEOUT_DEFAULTS.maxAttempts),
  SES_CONNECT_TIMEOUT_MS: millis(SES_TIMEOUT_DEFAULTS.connectMs),
  SES_REQUEST_TIMEOUT_MS: millis(SES_TIMEOUT_DEFAULTS.requestMs),
});

const envSchema = timeoutsSchema.extend({
  TABLE_NAME: z.string().min(3).max(255),
  AWS_REGION: z.string().default('ap-northeast-1'),
  DYNAMODB_ENDPOINT: z.url().optional(),
  SES_ENDPOINT: z.url().optional(),
  PUBLIC_BASE_URL: z.url().transform((u) => u.replace(/\/+$/, '')),
  /** `bearer` locally; `iam` behind API Gateway's IAM authorizer. */
  ADMIN_AUTH: z.enum(['bearer', 'iam']).default('iam'),
  ADMIN_TOKEN: z.string().min(16).optional(),
  TOKEN_KEYS: keyMap,
  TOKEN_SIGNING_KEY_ID: z.string().min(1),
  /**
   * The keys that seal an erasure's proof of consent (core/consent-proof.ts), like TOKEN_KEYS: one
   * seals, all open. Only the privileged functions get them (their own secret, lib/); the public
   * function has none, and an erasure there could not keep the proof.
   */
  CONSENT_PROOF_KEYS: keyMap.refine((keys) => Object.values(keys).every((k) => k.length === 32), 'AES-256 needs keys of exactly 32 bytes').optional(),
  CONSENT_PROOF_KEY_ID: z.string().min(1).optional(),
  EMAIL_PEPPER: z
    .string()
    .min(1)
    .transform((s) => Buffer.from(s, 'base64'))
    .refine((b) => b.length >= 32, 'needs at least 32 bytes (base64)'),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  BRANDS_FILE: z.string().optional(),
  POLICY_VERSION: z.string().default('2026-04-01'),
  PRIVACY_OFFICER_EMAIL: z.email().default('privacy@livlog.jp'),
  SES_CONFIGURATION_SET: z.string().optional(),
  MAILTO_UNSUBSCRIBE: z.email().optional(),
  /** SQS queue of campaign work in AWS; absent locally, where the worker runs in-process. */
  CAMPAIGN_QUEUE_URL: z.url().optional(),
  /** Marketing sends per second across all campaigns (SES sandbox: 1). */
  CAMPAIGN_SEND_RATE: z.coerce.number().positive().default(1),
  /**
   * IAM role names (a JSON array) whose sessions may send transactional mail through the send
   * pipeline (CONTRACT.md "Sending"); behind IAM, any other caller gets 403. None by default.
   */
  TRANSACTIONAL_SENDER_ROLES: z
    .string()
    .default('[]')
    .transform((s, ctx) => {
      try {
        return z.array(z.string().regex(ROLE_NAME)).parse(JSON.parse(s));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON array of IAM role names, e.g. ["orders-mailer"]' });
        return z.NEVER;
      }
    }),
  /** Years a closed inquiry is kept before it expires. */
  INQUIRY_RETENTION_YEARS: z.coerce.number().positive().default(3),
  /**
   * Milliseconds before which a subscription request or an inquiry is not answered, so that the
   * time taken does not tell whether the address is known (http/middleware.ts: answerNoSoonerThan).
   */
  ANSWER_FLOOR_MS: z.coerce.number().int().min(0).max(10_000).default(500),
  /**
   * Requests an hour that one client IP may make to each public intake route (POST
   * /v1/subscriptions, POST /v1/inquiries) before `429` (CONTRACT.md "Errors": 20). Only for tests
   * and local trials that post more from loopback; a deployment keeps the default.
   */
  INTAKE_LIMIT_PER_IP: z.coerce.number().int().positive().default(20),
  /** The console's OpenID provider (a Cognito user pool's issuer in AWS); no console without it. */
  CONSOLE_OIDC_ISSUER: z.url().optional(),
  CONSOLE_OIDC_CLIENT_ID: z.string().min(1).max(256).optional(),
  /** A provider without `end_session_endpoint` in its discovery (Cognito): its logout URL, `https://<domain>/logout`. */
  CONSOLE_OIDC_LOGOUT_URL: z.url().optional(),
  /** Plain-HTTP calls to the provider: only the local stack and the tests set it, and only for a loopback issuer. */
  CONSOLE_OIDC_ALLOW_INSECURE: z.enum(['true', 'false']).default('false'),
});

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

/** How the console signs operators in (functions/oidc/relying-party.ts). */
export interface ConsoleConfig {
  issuer: string;
  clientId: string;
  logoutUrl?: string;
  /** True only for a loopback issuer in the local stack and the tests. */
  allowInsecureRequests: boolean;
  /** Cookies carry `Secure` wherever the console is served over HTTPS, which is everywhere but the local stack. */
  secureCookies: boolean;
}

export class ConfigError extends StartupError {}

export function loadConfig(env: Record<string, string | undefined> = process.env, extra: Record<string, string> = {}): Config {
  // Parsed once per process: zod's compiled fast path would cost more to build than it saves.
  const parsed = envSchema.safeParse({ ...env, ...extra }, { jitless: true });
  if (!parsed.success) {
    throw new ConfigError(`invalid environment: ${parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
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

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function consoleOf(e: z.infer<typeof envSchema>): Pick<Config, 'console'> {
  if (!e.CONSOLE_OIDC_ISSUER) return {};
  if (!e.CONSOLE_OIDC_CLIENT_ID) throw new ConfigError('CONSOLE_OIDC_CLIENT_ID: required when CONSOLE_OIDC_ISSUER is set');
  const insecure = e.CONSOLE_OIDC_ALLOW_INSECURE === 'true';
  // A flag set by mistake in AWS must not turn off TLS to a real provider.
  if (insecure && !LOOPBACK.has(new URL(e.CONSOLE_OIDC_ISSUER).hostname)) {
    throw new ConfigError('CONSOLE_OIDC_ALLOW_INSECURE: only for an issuer on the loopback address');
  }
  return {
    console: {
      issuer: e.CONSOLE_OIDC_ISSUER,
      clientId: e.CONSOLE_OIDC_CLIENT_ID,
      ...(e.CONSOLE_OIDC_LOGOUT_URL ? { logoutUrl: e.CONSOLE_OIDC_LOGOUT_URL } : {}),
      allowInsecureRequests: insecure,
      secureCookies: e.PUBLIC_BASE_URL.startsWith('https://'),
    },
  };
}

/**
 * The timeouts a function's environment gives (the defaults for what it leaves out), for the
 * stack to hold against the function's own timeout.
 */
export function readTimeouts(env: Record<string, string | undefined>): Pick<Config, 'storeTimeouts' | 'sesTimeouts'> {
  const parsed = timeoutsSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; '));
  return timeoutsOf(parsed.data);
}

const timeoutsOf = (e: z.infer<typeof timeoutsSchema>): Pick<Config, 'storeTimeouts' | 'sesTimeouts'> => ({
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
const localSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DYNAMODB_PORT: z.coerce.number().int().min(1).max(65535).default(8000),
  SES_PORT: z.coerce.number().int().min(1).max(65535).default(8005),
  DATA_DIR: z.string().min(1).default('.data'),
  ADMIN_TOKEN: z.string().min(16).optional(),
  PUBLIC_BASE_URL: z.url().optional(),
  BRANDS_FILE: z.string().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  CAMPAIGN_SEND_RATE: z.coerce.number().positive().optional(),
  INTAKE_LIMIT_PER_IP: z.coerce.number().int().positive().optional(),
  OIDC_PORT: z.coerce.number().int().min(1).max(65535).default(8010),
  CONSOLE_PASSWORD: z.string().min(8).optional(),
});

export type LocalStackSettings = z.infer<typeof localSchema>;

export function loadLocalStackSettings(env: Record<string, string | undefined> = process.env): LocalStackSettings {
  const parsed = localSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; '));
  return parsed.data;
}

import { randomBytes } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { type Config, loadConfig } from '../../functions/config';
import { fixedClock } from '../../functions/core/clock';
import { normalizeEmail } from '../../functions/core/email';
import { createDeps, type Deps } from '../../functions/deps';
import { createApp } from '../../functions/http';
import { silentLogger } from '../../functions/log';
import { SES_TIMEOUT_DEFAULTS } from '../../functions/mail/ses-client';
import { createDb } from '../../functions/store/client';
import { ensureTable } from '../../functions/store/table';
import { STORE_TIMEOUT_DEFAULTS } from '../../functions/store/timeouts';
import { consoleRelyingParty, inProcessCampaignQueue } from '../../functions/wiring';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const TEST_KEYS = { t1: Buffer.alloc(32, 7).toString('base64'), t0: Buffer.alloc(32, 3).toString('base64') };
export const TEST_PEPPER = Buffer.alloc(32, 9).toString('base64');
/** The privileged functions' consent proof keys (p1 seals; p0 stands for a rotated-out key that still opens). */
export const TEST_PROOF_KEYS = { p1: Buffer.alloc(32, 5).toString('base64'), p0: Buffer.alloc(32, 4).toString('base64') };

/**
 * DynamoDB Local and the local SES on two cores shared by several suites take seconds over a call
 * at times (a cold JVM most of all), which production's timeouts would turn into 503s. The suite
 * waits for them; the tests of those timeouts (test/faults/*-not-answering.test.ts) pass
 * `PRODUCTION_TIMEOUTS` back.
 */
const PATIENT_TIMEOUTS = {
  DYNAMODB_CONNECT_TIMEOUT_MS: '10000',
  DYNAMODB_REQUEST_TIMEOUT_MS: '60000',
  DYNAMODB_MAX_ATTEMPTS: '3',
  SES_CONNECT_TIMEOUT_MS: '10000',
  SES_REQUEST_TIMEOUT_MS: '60000',
};

export const PRODUCTION_TIMEOUTS = {
  DYNAMODB_CONNECT_TIMEOUT_MS: String(STORE_TIMEOUT_DEFAULTS.connectMs),
  DYNAMODB_REQUEST_TIMEOUT_MS: String(STORE_TIMEOUT_DEFAULTS.requestMs),
  DYNAMODB_MAX_ATTEMPTS: String(STORE_TIMEOUT_DEFAULTS.maxAttempts),
  SES_CONNECT_TIMEOUT_MS: String(SES_TIMEOUT_DEFAULTS.connectMs),
  SES_REQUEST_TIMEOUT_MS: String(SES_TIMEOUT_DEFAULTS.requestMs),
};

/** The environment the tests' config is read from (a child process is given the same). */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    TABLE_NAME: `t_${randomBytes(6).toString('hex')}`,
    AWS_REGION: 'ap-northeast-1',
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    SES_ENDPOINT: inject('sesEndpoint'),
    PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
    ADMIN_AUTH: 'bearer',
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    TOKEN_KEYS: JSON.stringify(TEST_KEYS),
    TOKEN_SIGNING_KEY_ID: 't1',
    EMAIL_PEPPER: TEST_PEPPER,
    CONSENT_PROOF_KEYS: JSON.stringify(TEST_PROOF_KEYS),
    CONSENT_PROOF_KEY_ID: 'p1',
    LOG_LEVEL: 'error',
    // Suites that time an answer set their own (test/integration/answer-floor.test.ts).
    ANSWER_FLOOR_MS: '0',
    ...PATIENT_TIMEOUTS,
    ...overrides,
  };
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig(testEnv(overrides));
}

export interface TestStack {
  deps: Deps;
  app: ReturnType<typeof createApp>;
  clock: ReturnType<typeof fixedClock>;
  /** Drops this file's table. */
  dispose(): Promise<void>;
}

/**
 * Dependencies wired exactly as in production, pointed at the suite's DynamoDB Local and local
 * SES, with a fresh table and a clock the test controls.
 */
export interface TestStackOptions {
  now?: string;
  config?: Record<string, string>;
  deps?: Partial<Omit<Deps, 'config'>>;
}

export async function createTestStack(opts: TestStackOptions = {}): Promise<TestStack> {
  const config = testConfig(opts.config);
  const clock = fixedClock(opts.now ?? '2026-11-29T09:00:00.000Z');
  const db = createDb({ tableName: config.tableName, region: config.region, endpoint: inject('dynamoEndpoint'), timeouts: config.storeTimeouts });
  await ensureTable(db.client, config.tableName);
  const deps = createDeps(config, { clock, db, logger: silentLogger, ...consoleRelyingParty(config), ...opts.deps });
  deps.campaignQueue ??= inProcessCampaignQueue(deps);
  return {
    deps,
    app: createApp(deps),
    clock,
    dispose: async () => {
      await db.client.send(new DeleteTableCommand({ TableName: config.tableName })).catch(() => {});
    },
  };
}

/** A unique address per test, so that tests sharing the local SES inbox never see each other's mail. */
export const uniqueEmail = (label = 'user') => `${label}.${randomBytes(5).toString('hex')}@example.com`;

/** The emailId of an address as the stack keys it (normalized, then hashed with the test pepper). */
export function emailIdFor(stack: Pick<TestStack, 'deps'>, addr: string) {
  const n = normalizeEmail(addr);
  if (!n.ok) throw new Error(n.problem);
  return stack.deps.emailIdOf(n.email);
}

import { randomBytes } from 'node:crypto';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Config } from './config';
import type { Clock, RandomSource } from './core/clock';
import type { NormalizedEmail } from './core/email';
import { type EmailId, emailIdOf } from './core/email-id';
import { createTokenService, type TokenService } from './core/tokens';
import { createLogger, type Logger } from './log';
import { createSesMailer, type Mailer } from './mail/sender';
import type { CampaignQueue } from './queue/campaign-queue';
import { createDb, type Db } from './store/client';

/**
 * Everything a request needs, built once per cold start (or per test file) and handed to
 * `createApp(deps)`. Tests build the same thing pointed at DynamoDB Local and the local SES.
 */
export interface Deps {
  config: Config;
  clock: Clock;
  random: RandomSource;
  db: Db;
  ses: SESv2Client;
  mailer: Mailer;
  tokens: TokenService;
  logger: Logger;
  emailIdOf(email: NormalizedEmail): EmailId;
  /** Where campaign work goes; unset means chosen from config on first use (queue/wiring.ts). */
  campaignQueue?: CampaignQueue;
}

export const systemClock: Clock = { now: () => new Date() };
export const cryptoRandom: RandomSource = { id: () => randomBytes(16).toString('base64url') };

export function createDeps(config: Config, overrides: Partial<Omit<Deps, 'config'>> = {}): Deps {
  const clock = overrides.clock ?? systemClock;
  const db =
    overrides.db ?? createDb({ tableName: config.tableName, region: config.region, ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}) });
  const ses =
    overrides.ses ??
    new SESv2Client({
      region: config.region,
      // Our own retry (mail/bulk.ts) decides what is safe to send again; the SDK's would also
      // retry timeouts, after which SES may already have sent the mail.
      maxAttempts: 1,
      ...(config.sesEndpoint ? { endpoint: config.sesEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    });
  return {
    config,
    clock,
    random: overrides.random ?? cryptoRandom,
    db,
    ses,
    mailer: overrides.mailer ?? createSesMailer(ses, config.sesConfigurationSet ? { configurationSet: config.sesConfigurationSet } : {}),
    tokens: overrides.tokens ?? createTokenService(config.tokenKeys, clock),
    logger: overrides.logger ?? createLogger({ level: config.logLevel }),
    emailIdOf: overrides.emailIdOf ?? ((email) => emailIdOf(config.emailPepper, email)),
  };
}

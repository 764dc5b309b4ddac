import { randomBytes } from 'node:crypto';
import type { Config } from './config';
import type { Clock, RandomSource } from './core/clock';
import { type ConsentProof, openProof, PROOF_IV_BYTES, type SealedProof, sealProof } from './core/consent-proof';
import type { NormalizedEmail } from './core/email';
import { type EmailId, emailIdOf } from './core/email-id';
import { createTokenService, type TokenService } from './core/tokens';
import { createLogger, type Logger } from './log';
import { createSesMailer, type Mailer } from './mail/sender';
import { lazySesClient, type SesClientRef } from './mail/ses-client';
import type { RelyingParty } from './oidc/relying-party';
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
  /** The SES client, built (and its SDK imported) on the first mail. */
  ses: SesClientRef;
  mailer: Mailer;
  tokens: TokenService;
  logger: Logger;
  emailIdOf(email: NormalizedEmail): EmailId;
  /** Seals and opens erasures' proofs of consent; only where the config holds the key (the privileged functions). */
  consentProofs?: ConsentProofSealer;
  /** Where campaign work goes: chosen where the dependencies are made (functions/wiring.ts); only the privileged function has one. */
  campaignQueue?: CampaignQueue;
  /** The console's OpenID Connect client, where the config names a provider (config.console). */
  consoleRp?: RelyingParty;
}

export interface ConsentProofSealer {
  seal(proof: ConsentProof, emailId: EmailId): SealedProof;
  open(sealed: SealedProof, emailId: EmailId): ConsentProof;
}

/** A fresh random IV for every proof: GCM under one key must never see an IV twice. */
export function createConsentProofSealer(keyring: NonNullable<Config['consentProofKey']>): ConsentProofSealer {
  return {
    seal: (proof, emailId) => sealProof(keyring, proof, emailId, randomBytes(PROOF_IV_BYTES)),
    open: (sealed, emailId) => openProof(keyring, sealed, emailId),
  };
}

export const systemClock: Clock = { now: () => new Date() };
export const cryptoRandom: RandomSource = { id: () => pooledRandomId(16) };

// One getrandom call per 256 ids instead of one per id (a request id is made on every request,
// and the syscall dominated the middleware's cost in `npm run bench -- routing`), as
// crypto.randomUUID does. Each id still gets fresh CSPRNG bytes; none is handed out twice.
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = POOL_BYTES;
function pooledRandomId(bytes: number): string {
  if (offset + bytes > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  offset += bytes;
  return pool.toString('base64url', offset - bytes, offset);
}

export function createDeps(config: Config, overrides: Partial<Omit<Deps, 'config'>> = {}): Deps {
  const clock = overrides.clock ?? systemClock;
  const db =
    overrides.db ??
    createDb({
      tableName: config.tableName,
      region: config.region,
      timeouts: config.storeTimeouts,
      ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}),
    });
  const ses =
    overrides.ses ?? lazySesClient({ region: config.region, timeouts: config.sesTimeouts, ...(config.sesEndpoint ? { endpoint: config.sesEndpoint } : {}) });
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
    ...(config.consentProofKey ? { consentProofs: overrides.consentProofs ?? createConsentProofSealer(config.consentProofKey) } : {}),
    ...(overrides.consoleRp ? { consoleRp: overrides.consoleRp } : {}),
  };
}

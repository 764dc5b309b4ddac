import { hkdfSync } from 'node:crypto';
import { type Config, consentProofSecretArnFromEnv, loadConfig, secretsArnFromEnv } from '../config';
import { createDeps, type Deps } from '../deps';

/**
 * Cold start: read the secret once, validate the whole config, build the clients. A handler's
 * module does `const deps = await depsFromEnv()` at top level, so this runs once per container.
 *
 * The secret holds `EMAIL_PEPPER`, `TOKEN_KEYS` and `TOKEN_SIGNING_KEY_ID`; a fresh deployment's
 * generated secret holds only a random `SEED`, from which the pepper and the first token key are
 * derived (HKDF), so that no secret ever has to be typed in by hand.
 *
 * The privileged functions also read a second secret, the consent proof keys (its own `SEED`, so
 * that nothing in the shared secret leads to them); the others are not given its ARN.
 */
export async function depsFromEnv(overrides: (config: Config) => Partial<Omit<Deps, 'config'>> = () => ({})): Promise<Deps> {
  const arn = secretsArnFromEnv();
  const proofArn = consentProofSecretArnFromEnv();
  const [shared, proof] = await Promise.all([arn ? readSecret(arn) : undefined, proofArn ? readSecret(proofArn) : undefined]);
  const extra = { ...(shared ? secretToEnv(shared) : {}), ...(proof ? consentProofSecretToEnv(proof) : {}) };
  const config = loadConfig(undefined, extra);
  return createDeps(config, overrides(config));
}

/** A secret's JSON: strings, or (key rings written as operations.md shows) nested objects. */
type Secret = Record<string, unknown>;

async function readSecret(arn: string): Promise<Secret> {
  // Imported here, so that a start with its secrets in the environment (tests, the bench) does not pay for it.
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({});
  try {
    const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    return JSON.parse(out.SecretString ?? '{}') as Secret;
  } finally {
    client.destroy();
  }
}

const deriver = (secret: Secret) => (info: string) => Buffer.from(hkdfSync('sha256', asEnv(secret.SEED) ?? '', Buffer.alloc(0), info, 32)).toString('base64');

/** An environment value from a secret's field: a nested object (a key ring) as its JSON, which the config parses. */
const asEnv = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : typeof v === 'string' ? v : JSON.stringify(v));

export function secretToEnv(secret: Secret): Record<string, string> {
  const derive = deriver(secret);
  return {
    EMAIL_PEPPER: asEnv(secret.EMAIL_PEPPER) ?? derive('email-pepper'),
    TOKEN_KEYS: asEnv(secret.TOKEN_KEYS) ?? JSON.stringify({ k1: derive('token-key-k1') }),
    TOKEN_SIGNING_KEY_ID: asEnv(secret.TOKEN_SIGNING_KEY_ID) ?? 'k1',
  };
}

/** The consent proof secret: `CONSENT_PROOF_KEYS` as written, else the first key derived from its own `SEED`. */
export function consentProofSecretToEnv(secret: Secret): Record<string, string> {
  // A key derived from an empty seed would be a key anyone can compute: no key at all is safer (erasures then refuse).
  if (!secret.CONSENT_PROOF_KEYS && !secret.SEED) return {};
  const derive = deriver(secret);
  return {
    CONSENT_PROOF_KEYS: asEnv(secret.CONSENT_PROOF_KEYS) ?? JSON.stringify({ p1: derive('consent-proof-key-p1') }),
    CONSENT_PROOF_KEY_ID: asEnv(secret.CONSENT_PROOF_KEY_ID) ?? 'p1',
  };
}

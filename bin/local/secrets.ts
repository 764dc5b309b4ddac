import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LocalSecrets {
  emailPepper: string;
  tokenKeys: Record<string, string>;
  signingKeyId: string;
  /** Seal the proofs of consent erasures keep (in AWS, a secret only the privileged functions read). */
  consentProofKeys: Record<string, string>;
  consentProofKeyId: string;
}

const proofKeys = () => ({ consentProofKeys: { local1: randomBytes(32).toString('base64') }, consentProofKeyId: 'local1' });

const generate = (): LocalSecrets => ({
  emailPepper: randomBytes(32).toString('base64'),
  tokenKeys: { local1: randomBytes(32).toString('base64') },
  signingKeyId: 'local1',
  ...proofKeys(),
});

/**
 * The pepper and the token and consent proof keys of the local stack. They live beside the data
 * (mode 600) because a new pepper would orphan every stored record, a new token key would break
 * every link already mailed, and a new proof key would leave every kept proof unreadable;
 * `--in-memory` keeps them in memory with the data. A file written before proofs existed gets its
 * proof key added, the rest kept.
 */
export function loadOrCreateSecrets(dataDir: string | undefined): LocalSecrets {
  if (!dataDir) return generate();
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets> & Omit<LocalSecrets, 'consentProofKeys' | 'consentProofKeyId'>;
    if (stored.consentProofKeys && stored.consentProofKeyId) return stored as LocalSecrets;
    const completed = { ...stored, ...proofKeys() };
    writeFileSync(file, JSON.stringify(completed, null, 2), { mode: 0o600 });
    return completed;
  }
  const secrets = generate();
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

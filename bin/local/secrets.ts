import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LocalSecrets {
  emailPepper: string;
  tokenKeys: Record<string, string>;
  signingKeyId: string;
}

const generate = (): LocalSecrets => ({
  emailPepper: randomBytes(32).toString('base64'),
  tokenKeys: { local1: randomBytes(32).toString('base64') },
  signingKeyId: 'local1',
});

/**
 * The pepper and token keys of the local stack. They live beside the data (mode 600) because a
 * new pepper would orphan every stored record and a new key would break every link already
 * mailed; `--in-memory` keeps them in memory with the data.
 */
export function loadOrCreateSecrets(dataDir: string | undefined): LocalSecrets {
  if (!dataDir) return generate();
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets;
  const secrets = generate();
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

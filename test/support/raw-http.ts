import { connect } from 'node:net';
import { expect } from 'vitest';

/** One HTTP/1.1 response as it came over the wire. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What a connection carried back, and how it ended. */
export interface RawExchange {
  responses: RawResponse[];
  /** The server closed its side (FIN) after what it sent. */
  ended: boolean;
  /** The connection was reset or failed (ECONNRESET, EPIPE) instead of closing. */
  error?: string;
}

/**
 * Writes `parts` to one TCP connection (a function part runs after the answers before it have
 * come in) and collects every response until the server closes the connection or `quietMs` pass
 * without a byte. Requests are written as they are: keep-alive, pipelining and half-sent bodies
 * are what this is for, which `fetch` hides.
 */
export async function rawExchange(
  port: number,
  parts: (string | Buffer | ((sofar: RawResponse[]) => string | undefined | Promise<string | undefined>))[],
  { quietMs = 1500 } = {},
): Promise<RawExchange> {
  const socket = connect(port, '127.0.0.1');
  let buffered = Buffer.alloc(0);
  const responses: RawResponse[] = [];
  let ended = false;
  let error: string | undefined;
  let wake: (() => void) | undefined;
  const parse = () => {
    for (;;) {
      const head = buffered.indexOf('\r\n\r\n');
      if (head < 0) return;
      const lines = buffered.subarray(0, head).toString('latin1').split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0] ?? '')?.[1]);
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      const length = Number(headers['content-length'] ?? 0);
      if (buffered.length < head + 4 + length) return;
      responses.push({ status, headers, body: buffered.subarray(head + 4, head + 4 + length).toString('utf8') });
      buffered = buffered.subarray(head + 4 + length);
    }
  };
  let lastByte = Date.now();
  socket.on('data', (d: Buffer) => {
    lastByte = Date.now();
    buffered = Buffer.concat([buffered, d]);
    parse();
    wake?.();
  });
  socket.on('end', () => {
    ended = true;
    wake?.();
  });
  socket.on('error', (e: NodeJS.ErrnoException) => {
    error = e.code ?? e.message;
    wake?.();
  });
  await new Promise<void>((r, j) => {
    socket.once('connect', () => r());
    socket.once('error', j);
  });
  const settled = () => ended || error !== undefined || socket.destroyed;
  const waitQuiet = async (until: () => boolean) => {
    while (!until() && !settled() && Date.now() - lastByte < quietMs) {
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 50);
      });
    }
  };
  let expected = 0;
  for (const part of parts) {
    if (typeof part === 'function') {
      await waitQuiet(() => responses.length >= expected);
      const next = await part(responses);
      if (next === undefined || settled()) break;
      lastByte = Date.now();
      socket.write(next);
      expected++;
    } else {
      if (settled()) break;
      socket.write(part);
      if (typeof part === 'string' && /^[A-Z]+ \S+ HTTP\/1\.1\r\n/.test(part)) expected++;
    }
  }
  await waitQuiet(() => false);
  socket.destroy();
  return { responses, ended, ...(error ? { error } : {}) };
}

/** The connection after the first answer: usable if it said keep-alive, else closed cleanly. */
export function expectConnectionKeptOrClosedCleanly(x: RawExchange, firstStatus: number) {
  const first = x.responses[0];
  expect(first?.status).toBe(firstStatus);
  expect(() => JSON.parse(first?.body ?? '')).not.toThrow();
  if (first?.headers.connection?.toLowerCase() === 'close') {
    expect(x.error).toBeUndefined();
    expect(x.ended).toBe(true);
  } else {
    expect(x.responses.map((r) => r.status)).toEqual([firstStatus, 200]);
    expect(x.error).toBeUndefined();
  }
}

import type { AddressInfo } from 'node:net';
import type { HttpBindings } from '@hono/node-server';
import { serveHttp } from '../../bin/local/http-server';
import { freePort } from '../../bin/local/processes';

export interface Served {
  base: string;
  close(): Promise<void>;
}

/** Serves an app over real HTTP on 127.0.0.1 (a free port unless one is given) with the local stack's own server. */
export async function serveOnLoopback(fetch: (req: Request, env: HttpBindings) => Response | Promise<Response>, port?: number): Promise<Served> {
  const server = serveHttp(fetch, { port: port ?? (await freePort()), hostname: '127.0.0.1' });
  await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

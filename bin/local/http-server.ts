import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { type HttpBindings, serve } from '@hono/node-server';

/** How long a connection closed after an unread body goes on taking what the client still sends. */
const LINGER_MS = 2000;

/**
 * The API over Node's HTTP server, as API Gateway fronts it in AWS: the local stack serves through
 * this, and so do the tests that go over a real socket (test/support/serve.ts).
 *
 * An answer can leave the request's body unread (a 413 decided on the Content-Length, a 415, a 401
 * before the body). @hono/node-server's own clean-up then drains for 500 ms and destroys the socket,
 * after an answer that said `keep-alive`: the next request on the connection is lost, and unread
 * bytes make the close a reset. Instead, a body that has fully arrived is discarded once the answer
 * is out and the connection serves the next request; a body still arriving (of a size that may be
 * anything) gets `Connection: close`, and the connection is closed cleanly: our side is shut after
 * the answer, what the client still sends is read and dropped until it closes its side or
 * `LINGER_MS` pass, so the answer is never taken down by a reset.
 */
export function serveHttp(fetch: (req: Request, env: HttpBindings) => Response | Promise<Response>, opts: { port: number; hostname: string }): Server {
  return serve({
    port: opts.port,
    hostname: opts.hostname,
    autoCleanupIncoming: false,
    fetch: async (req, env) => {
      const bindings = env as HttpBindings;
      const res = await fetch(req, bindings);
      settleUnreadBody(bindings.incoming, bindings.outgoing);
      return res;
    },
  }) as Server;
}

function settleUnreadBody(incoming: IncomingMessage, outgoing: ServerResponse): void {
  if (incoming.readableEnded) return;
  if (incoming.complete) {
    outgoing.once('finish', () => discardRest(incoming));
    return;
  }
  outgoing.setHeader('Connection', 'close');
  const socket = incoming.socket;
  // Node closes a `Connection: close` socket with destroySoon() once the answer is written, which
  // resets the connection while request bytes are still coming in.
  socket.destroySoon = () => lingerAndClose(socket);
}

/** What Node does itself for a body nobody touched; here the web stream of the body has a listener that holds it paused. */
function discardRest(incoming: IncomingMessage): void {
  incoming.removeAllListeners('data');
  incoming.resume();
}

function lingerAndClose(socket: Socket): void {
  // The HTTP parser goes too, so that nothing the client sends is taken for another request.
  socket.removeAllListeners('data');
  socket.on('data', () => {});
  socket.resume();
  socket.end();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('end', () => socket.destroy());
  socket.once('close', () => clearTimeout(timer));
}

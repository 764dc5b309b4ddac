import { type AgentOptions, type ClientRequest, Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';

/**
 * The SES client's connection pools, which reuse a kept-alive connection only while it is fresh.
 *
 * A server closes a connection that sat idle (the local SES after 5 s, SES after its own limit).
 * Should a send go out on it before this process has read the close (its event loop busy on two
 * loaded cores, a Lambda container thawed after minutes), the connection is reset with the request
 * unread; but a reset is also what a send that SES did take can end in, so it is reported
 * `ses-outcome-unknown` and never sent again (mail/bulk.ts), and the recipient ends `failed`.
 * Node's agent has no guard here: with no agent `timeout` set, an idle pooled connection has no
 * timer at all (the server's `Keep-Alive: timeout=` hint only ever shortens one), and a timer
 * would run late in a busy or frozen process anyway. So the age is read from the clock when a
 * connection is about to be reused: one whose latest request began `reuseMs` ago or more is
 * closed instead, and the send opens a new one. Counted from the request's start, the age is
 * never less than the time the server has seen the connection idle, so a connection younger than
 * `reuseMs` (well under any server's idle limit) cannot have been closed for idleness.
 */
export const SES_CONNECTION_REUSE_MS = 2000;

export interface SesAgents {
  httpAgent: HttpAgent;
  httpsAgent: HttpsAgent;
}

export function freshConnectionAgents(reuseMs: number = SES_CONNECTION_REUSE_MS): SesAgents {
  // The SDK's own pool settings (keep-alive, 50 sockets a host). First in, first out: the pool hands
  // out the first connection that is not destroyed, so the stale ones closed below are never picked.
  const options: AgentOptions = { keepAlive: true, maxSockets: 50, scheduling: 'fifo' };
  return { httpAgent: new (freshOnly(HttpAgent, reuseMs))(options), httpsAgent: new (freshOnly(HttpsAgent, reuseMs))(options) };
}

type AddRequest = (req: ClientRequest, options: unknown, ...legacy: unknown[]) => void;

function freshOnly<A extends typeof HttpAgent | typeof HttpsAgent>(Base: A, reuseMs: number): A {
  const begun = new WeakMap<Socket, number>();
  const addRequest = (Base.prototype as unknown as { addRequest: AddRequest }).addRequest;
  // `addRequest` is where Node's agent picks a pooled connection for a request (not in its typings).
  const Fresh = class extends (Base as typeof HttpAgent) {
    addRequest(req: ClientRequest, options: unknown, ...legacy: unknown[]): void {
      // Monotonic, so a change of the wall clock cannot make a connection look younger.
      const at = performance.now();
      for (const pool of Object.values(this.freeSockets)) {
        for (const socket of pool ?? []) if (!(at - (begun.get(socket) ?? Number.NEGATIVE_INFINITY) < reuseMs)) socket.destroy();
      }
      req.once('socket', (socket: Socket) => begun.set(socket, at));
      addRequest.call(this, req, options, ...legacy);
    }
  };
  return Fresh as unknown as A;
}

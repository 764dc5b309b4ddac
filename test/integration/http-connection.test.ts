import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectConnectionKeptOrClosedCleanly, rawExchange } from '../support/raw-http';
import { type Served, serveOnLoopback } from '../support/serve';
import { createTestStack, type TestStack } from '../support/stack';

/**
 * The connection after an answer that did not read the request's body (a 413 decided on the
 * Content-Length, a 415), over a real socket against the app as the local stack serves it. An
 * answer that says `keep-alive` must leave the connection usable, the next request answered; one
 * that cannot drain says `Connection: close` and closes cleanly, after the whole answer and
 * without a reset.
 */
let stack: TestStack;
let served: Served;
let port: number;

beforeAll(async () => {
  stack = await createTestStack();
  served = await serveOnLoopback(stack.app.fetch);
  port = Number(new URL(served.base).port);
});

afterAll(async () => {
  await served?.close();
  await stack?.dispose();
});

const post = (path: string, type: string, body: Buffer) =>
  Buffer.concat([Buffer.from(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\n\r\n`), body]);
const health = 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
const tooLarge = () => Buffer.alloc(2 * 1024 * 1024, 'a');

describe('the connection after an answer that left the body unread', () => {
  it('413 with a request pipelined behind the body', async () => {
    const x = await rawExchange(port, [post('/v1/subscriptions', 'application/json', tooLarge()), health]);
    expectConnectionKeptOrClosedCleanly(x, 413);
    expect(JSON.parse(x.responses[0]?.body ?? '{}')).toMatchObject({ error: { code: 'payload-too-large' } });
  });

  it('413, then the next request a second later on the same connection', async () => {
    const x = await rawExchange(port, [
      post('/v1/subscriptions', 'application/json', tooLarge()),
      async () => {
        await new Promise((r) => setTimeout(r, 1000));
        return health;
      },
    ]);
    expectConnectionKeptOrClosedCleanly(x, 413);
  });

  it('415 on a large body the route never reads, with a request pipelined behind it', async () => {
    const x = await rawExchange(port, [post('/v1/subscriptions', 'text/plain', Buffer.alloc(512 * 1024, 'b')), health]);
    expectConnectionKeptOrClosedCleanly(x, 415);
  });

  it('keeps the connection for the next requests after answers that read their body or had none', async () => {
    const x = await rawExchange(port, [post('/v1/subscriptions', 'application/json', Buffer.from('{"brand":')), health, health]);
    expect(x.responses.map((r) => r.status)).toEqual([400, 200, 200]);
    expect(x.responses[0]?.headers.connection).toBe('keep-alive');
    expect(x.error).toBeUndefined();
  });
});

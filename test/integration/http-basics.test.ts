import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDeps } from '../../functions/deps';
import { createApp } from '../../functions/http';
import type { AppEnv } from '../../functions/http/env';
import { answerFor } from '../../functions/http/errors';
import { requireAdmin, requireBody } from '../../functions/http/middleware';
import { silentLogger } from '../../functions/log';
import { createDb } from '../../functions/store/client';
import { createTestStack, TEST_ADMIN_TOKEN, type TestStack, testConfig } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack();
});
afterAll(() => stack.dispose());

describe('GET /health', () => {
  it('answers 200 ok when the store answers', async () => {
    const res = await stack.app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('answers 503 unavailable with Retry-After when the store does not (nothing listening)', async () => {
    const config = testConfig();
    const deps = createDeps(config, {
      logger: silentLogger,
      db: createDb({ tableName: config.tableName, region: config.region, endpoint: 'http://127.0.0.1:9', clientConfig: { maxAttempts: 1 } }),
    });
    const res = await createApp(deps).request('/health');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBeTruthy();
    expect(await res.json()).toMatchObject({ error: { code: 'unavailable' } });
  });

  it('answers 503 when the table is missing rather than 500', async () => {
    const config = testConfig();
    const deps = createDeps(config, {
      logger: silentLogger,
      db: createDb({ tableName: 'no_such_table', region: config.region, endpoint: inject('dynamoEndpoint') }),
    });
    const res = await createApp(deps).request('/health');
    expect(res.status).toBe(503);
  });
});

describe('errors, limits and documents', () => {
  it('answers unknown routes with the contract error body', async () => {
    const res = await stack.app.request('/nowhere');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not-found', message: expect.any(String) } });
  });

  it('refuses a body over the limit with 413 payload-too-large', async () => {
    const res = await stack.app.request('/health', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload-too-large' } });
  });

  it('serves the OpenAPI 3.1 document generated from the routes, and a readable reference page', async () => {
    const doc = (await (await stack.app.request('/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/health']).toBeDefined();
    const page = await stack.app.request('/docs');
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('/health');
  });
});

describe('shared middleware', () => {
  const app = new Hono<AppEnv>()
    .onError((err, c) => {
      const answer = answerFor(err);
      return answer ? c.json({ error: { code: answer.code } }, answer.status) : c.text('boom', 500);
    })
    .post('/admin', requireAdmin(testConfig()), (c) => c.text('ok'))
    .post('/body', requireBody('json', 'form'), (c) => c.text('ok'));

  it('lets the admin bearer token through and nothing else', async () => {
    const ok = await app.request('/admin', { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    expect(ok.status).toBe(200);
    for (const h of [
      {} as Record<string, string>,
      { authorization: 'Bearer wrong' },
      { authorization: `Basic ${TEST_ADMIN_TOKEN}` },
      { authorization: `Bearer ${TEST_ADMIN_TOKEN}x` },
    ]) {
      const res = await app.request('/admin', { method: 'POST', headers: h });
      expect(res.status).toBe(401);
    }
  });

  it('refuses media types a route does not read with 415', async () => {
    expect((await app.request('/body', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(200);
    expect((await app.request('/body', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b' })).status).toBe(200);
    const res = await app.request('/body', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
    expect(res.status).toBe(415);
  });
});

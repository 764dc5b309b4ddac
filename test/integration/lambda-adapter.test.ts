import { type APIGatewayProxyResult, handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps } from '../../functions/deps';
import { createApp } from '../../functions/http';
import { createLogger, silentLogger } from '../../functions/log';
import { createTestStack, TEST_ADMIN_TOKEN, type TestStack, testConfig } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack();
});
afterAll(() => stack.dispose());

/** An API Gateway HTTP API (payload 2.0) event, as Lambda receives it. */
const httpApiEvent = (method: string, path: string, extra: Record<string, unknown> = {}) => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: path,
  rawQueryString: '',
  headers: { host: 'abc123.execute-api.ap-northeast-1.amazonaws.com', 'user-agent': 'vitest' },
  requestContext: {
    accountId: '123456789012',
    apiId: 'abc123',
    domainName: 'abc123.execute-api.ap-northeast-1.amazonaws.com',
    domainPrefix: 'abc123',
    http: { method, path, protocol: 'HTTP/1.1', sourceIp: '198.51.100.7', userAgent: 'vitest' },
    requestId: 'lambda-request-id-1',
    routeKey: '$default',
    stage: '$default',
    time: '29/Nov/2026:09:00:00 +0000',
    timeEpoch: 1795856400000,
    ...extra,
  },
  isBase64Encoded: false,
});

describe('Lambda adapter (API Gateway HTTP API → Hono)', () => {
  it('serves GET /health and carries the API Gateway request id', async () => {
    const handler = handle(stack.app);
    const res = (await handler(httpApiEvent('GET', '/health') as unknown as LambdaEvent, {} as LambdaContext)) as APIGatewayProxyResult;
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok' });
    expect(res.headers?.['x-request-id']).toBe('lambda-request-id-1');
  });

  it('answers errors with the contract body through the adapter too', async () => {
    const deps = createDeps({ ...testConfig(), adminAuth: { mode: 'iam' } }, { logger: silentLogger, db: stack.deps.db });
    const res = (await handle(createApp(deps))(httpApiEvent('GET', '/missing') as unknown as LambdaEvent, {} as LambdaContext)) as APIGatewayProxyResult;
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'not-found' } });
  });

  it("keeps the platform's request id in the answer and the logs when the caller sends its own X-Request-Id", async () => {
    const lines: string[] = [];
    const deps = createDeps(testConfig(), { logger: createLogger({ write: (l) => lines.push(l) }), db: stack.deps.db });
    const event = httpApiEvent('GET', '/health');
    event.headers = { ...event.headers, 'x-request-id': 'forged-by-caller' } as typeof event.headers;
    const res = (await handle(createApp(deps))(event as unknown as LambdaEvent, {} as LambdaContext)) as APIGatewayProxyResult;
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['x-request-id']).toBe('lambda-request-id-1');
    const logged = lines.map((l) => JSON.parse(l) as { requestId?: string; msg?: string });
    expect(logged.length).toBeGreaterThan(0);
    for (const l of logged) expect(l.requestId).toBe('lambda-request-id-1');
    expect(lines.join('\n')).not.toMatch(/"requestId":"forged-by-caller"/);
  });

  it('takes the bearer scheme in any case (RFC 9110 section 11.1)', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      const res = await stack.app.request('/admin/suppressions', { headers: { authorization: `${scheme} ${TEST_ADMIN_TOKEN}` } });
      expect(res.status, scheme).toBe(200);
    }
    expect((await stack.app.request('/admin/suppressions', { headers: { authorization: `Basic ${TEST_ADMIN_TOKEN}` } })).status).toBe(401);
  });
});

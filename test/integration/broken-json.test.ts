import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, TEST_ADMIN_TOKEN, type TestStack } from '../support/stack';

/**
 * A body that is not JSON at all is a bad body like any other: `400 invalid-request` whose
 * `details` name the body, on every route that reads JSON (taken from the OpenAPI document, so a
 * new route is held to it too).
 */
let stack: TestStack;
let jsonOperations: { method: string; path: string }[] = [];

beforeAll(async () => {
  stack = await createTestStack();
  const doc = (await (await stack.app.request('/openapi.json')).json()) as {
    paths: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>>;
  };
  jsonOperations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([, op]) => op.requestBody?.content?.['application/json'])
      .map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
});
afterAll(() => stack.dispose());

const concrete = (path: string) =>
  path.replace('{campaignId}', 'nl-2026-12').replace('{reference}', 'INQ-ABCDEFGHJK').replace('{email}', 'taro%40example.com').replace('{token}', 'abc.def');

describe('broken JSON', () => {
  it('finds the routes that read JSON', () => {
    expect(jsonOperations.map((o) => `${o.method} ${o.path}`)).toEqual(expect.arrayContaining(['POST /v1/subscriptions', 'POST /local/ses-events']));
  });

  for (const body of ['{"brand": ', '{"a":1} trailing', '']) {
    it(`answers ${JSON.stringify(body)} with 400 invalid-request naming the body, on every JSON route`, async () => {
      for (const op of jsonOperations) {
        const res = await stack.app.request(concrete(op.path), {
          method: op.method,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
          body,
        });
        const json = (await res.json()) as { error: { code: string; message: string; details?: { path: string; message: string }[] } };
        expect(res.status, `${op.method} ${op.path}`).toBe(400);
        expect(json.error.code, `${op.method} ${op.path}`).toBe('invalid-request');
        expect(json.error.details, `${op.method} ${op.path}`).toEqual([{ path: '(body)', message: expect.stringMatching(/JSON/) }]);
      }
    });
  }
});

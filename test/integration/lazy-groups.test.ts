import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteGroup } from '../../functions/http/app';
import { buildApp } from '../../functions/http/app';
import { buildLazyApp, groupFor, type LazyGroup, liesUnder } from '../../functions/http/lazy-groups';
import { privilegedGroups } from '../../functions/http/privileged';
import { privilegedLazyGroups } from '../../functions/http/privileged-lazy';
import { publicGroups } from '../../functions/http/public';
import { publicLazyGroups } from '../../functions/http/public-lazy';
import { unsubscribeUrl } from '../../functions/mail/list-unsubscribe';
import { createTestStack, emailIdFor, TEST_ADMIN_TOKEN, type TestStack, uniqueEmail } from '../support/stack';

/**
 * The Lambda functions build each route group on the first request under its paths
 * (http/lazy-groups.ts). These tests hold the lazy lists to the eager ones the local stack and
 * the other tests use, every route to its group's paths, and the answers of the lazy app to those
 * of the app built with every group at once, against DynamoDB Local.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack();
});
afterAll(() => stack.dispose());

const FUNCTIONS: [string, LazyGroup[], RouteGroup[]][] = [
  ['public', publicLazyGroups, publicGroups],
  ['privileged', privilegedLazyGroups, privilegedGroups],
];

/** `/u/:token` → `/u/x`: a path the route answers, to test where it lies. */
const samplePath = (pattern: string) => pattern.replace(/:[^/]+/g, 'x');

describe.each(FUNCTIONS)('the %s function, its groups on demand', (_name, lazy, eager) => {
  it('loads the very groups of the eager list, in its order', async () => {
    expect(await Promise.all(lazy.map((g) => g.load()))).toEqual(eager);
  });

  it('sends every route of a group to that group, and to no earlier one', async () => {
    for (const [i, g] of lazy.entries()) {
      const routes = (await g.load())(stack.deps).routes;
      expect(routes.length, `group ${i}`).toBeGreaterThan(0);
      for (const r of routes) expect(groupFor(lazy, r.method, samplePath(r.path)), `${r.method} ${r.path}`).toBe(g);
    }
  });

  it('serves the same OpenAPI document as the app with every group', async () => {
    const [lazyDoc, eagerDoc] = await Promise.all(
      [buildLazyApp(stack.deps, lazy), buildApp(stack.deps, eager)].map(async (app) => {
        const res = await app.request('/openapi.json');
        expect(res.status).toBe(200);
        return res.json();
      }),
    );
    expect(lazyDoc).toEqual(eagerDoc);
    expect(Object.keys((lazyDoc as { paths: object }).paths).length).toBeGreaterThan(2);
  });
});

function countingLoads(groups: LazyGroup[]) {
  let n = 0;
  const counted = groups.map((g) => ({
    ...g,
    load: () => {
      n++;
      return g.load();
    },
  }));
  return { counted, loads: () => n };
}

describe('answers of the lazy app', () => {
  const publicApp = () => buildLazyApp(stack.deps, publicLazyGroups);

  it('answers the health check and an unknown path without loading a group', async () => {
    const { counted, loads } = countingLoads(publicLazyGroups);
    const app = buildLazyApp(stack.deps, counted);
    expect((await app.request('/health')).status).toBe(200);
    const missing = await app.request('/nothing-here', { headers: { accept: 'application/json' } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not-found' } });
    expect(loads()).toBe(0);
  });

  it('loads a group once, on the first request under its paths', async () => {
    const { counted, loads } = countingLoads(publicLazyGroups);
    const app = buildLazyApp(stack.deps, counted);
    const first = await Promise.all([app.request('/assets/site.css'), app.request('/assets/site.css')]);
    expect(first.map((r) => r.status)).toEqual([200, 200]);
    expect((await app.request('/assets/site.css')).headers.get('content-type')).toMatch(/text\/css/);
    expect(loads()).toBe(1);
  });

  it('tells a one-segment path from a prefix, and a method from the others', () => {
    expect(liesUnder('/u/*', '/u/abc')).toBe(true);
    expect(liesUnder('/u/*', '/u/abc/preferences')).toBe(false);
    expect(liesUnder('/u/*', '/u/')).toBe(false);
    expect(groupFor(publicLazyGroups, 'POST', '/u/abc')?.paths).toEqual(['/u/*']);
    expect(groupFor(publicLazyGroups, 'GET', '/u/abc')?.paths).toContain('/u/');
    expect(groupFor(publicLazyGroups, 'POST', '/u/abc/preferences')?.paths).toContain('/u/');
    const getOnly: LazyGroup[] = [{ paths: ['/x'], methods: ['GET'], load: () => Promise.reject(new Error('not loaded here')) }];
    expect(groupFor(getOnly, 'HEAD', '/x')).toBe(getOnly[0]);
    expect(groupFor(getOnly, 'POST', '/x')).toBeUndefined();
  });

  it('applies a one-click unsubscribe as the eager app does, loading its group alone', async () => {
    const { counted, loads } = countingLoads(publicLazyGroups);
    const app = buildLazyApp(stack.deps, counted);
    const addr = uniqueEmail('lazy');
    const url = unsubscribeUrl('http://x', stack.deps.tokens, { brand: 'livlog', emailId: emailIdFor(stack, addr), topic: 'newsletter' });
    const res = await app.request(new URL(url).pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(loads()).toBe(1);
  });

  it('keeps the body limit, validation and error bodies of the group', async () => {
    const app = publicApp();
    const bad = await app.request('/v1/subscriptions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email": 1}' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid-request' } });
    const big = await app.request('/v1/inquiries', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'x'.repeat(stack.deps.config.maxBodyBytes + 1) }),
    });
    expect(big.status).toBe(413);
  });

  it('keeps the privileged groups behind their authorization', async () => {
    const app = buildLazyApp(stack.deps, privilegedLazyGroups);
    const json = { 'content-type': 'application/json' };
    expect((await app.request('/admin/inquiries', { headers: json })).status).toBe(401);
    const ok = await app.request('/admin/inquiries', { headers: { ...json, authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    expect(ok.status).toBe(200);
  });

  it('answers a group that cannot be loaded with the generic 500 and a request id', async () => {
    const broken: LazyGroup[] = [{ paths: ['/u/'], load: () => Promise.reject(new Error('chunk missing')) }];
    const res = await buildLazyApp(stack.deps, broken).request('/u/x', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; requestId?: string } };
    expect(body.error.code).toBe('internal');
    expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
  });
});

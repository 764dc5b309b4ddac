import { OpenAPIHono } from '@hono/zod-openapi';
import type { z } from 'zod';
import { formatPath } from '../core/brands';
import { type FieldIssue, ValidationError } from '../core/errors';
import type { AppEnv } from './env';

/** One `details` entry per bad field; a key the schema does not know is named itself. */
function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ path: formatPath([...i.path, k]), message: 'not a field of this request' }))
      : [{ path: formatPath(i.path) || '(body)', message: i.message }],
  );
}

const isJsonType = (t: string) => /^application\/([\w.-]+\+)?json/i.test(t);

/**
 * Every group of routes is an OpenAPIHono router made here, so that all of them turn a schema
 * failure into the same `400 invalid-request` with one `details` entry per bad field.
 */
export function newRouter() {
  const r = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new ValidationError('Some fields are missing or not valid.', issuesOf(result.error));
    },
  });
  // zod-openapi runs every declared body validator when a body is `required`, so a form sent to a
  // route that also reads JSON would be checked as JSON. Such a route is validated as if the body
  // were optional (its requireBody middleware refuses a missing one) and documented as required.
  const register = r.openapi;
  r.openapi = ((...[route, ...rest]: Parameters<typeof register>) => {
    const body = route.request?.body;
    const types = Object.keys(body?.content ?? {});
    if (!body?.required || !types.some(isJsonType) || types.every(isJsonType)) return register(route, ...rest);
    register({ ...route, hide: true, request: { ...route.request, body: { ...body, required: false } } }, ...rest);
    const { middleware: _middleware, hide: _hide, ...documented } = route;
    r.openAPIRegistry.registerPath(documented);
    return r;
  }) as typeof register;
  return r;
}

export type Router = ReturnType<typeof newRouter>;

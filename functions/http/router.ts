import { OpenAPIHono } from '@hono/zod-openapi';
import { formatPath } from '../core/brands';
import { ValidationError } from '../core/errors';
import type { AppEnv } from './env';

/**
 * Every group of routes is an OpenAPIHono router made here, so that all of them turn a schema
 * failure into the same `400 invalid-request` with one `details` entry per bad field.
 */
export function newRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new ValidationError(
          'Some fields are missing or not valid.',
          result.error.issues.map((i) => ({ path: formatPath(i.path) || '(body)', message: i.message })),
        );
      }
    },
  });
}

export type Router = ReturnType<typeof newRouter>;

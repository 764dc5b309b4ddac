import { extendZodWithOpenApi } from '@hono/zod-openapi';
import { z as zod } from 'zod';

extendZodWithOpenApi(zod);

/**
 * zod with `.openapi()`, for every module that describes a route. `@hono/zod-openapi` adds the
 * method to zod's prototypes when it is evaluated, and re-exports zod's own `z`; esbuild, splitting
 * the route groups into chunks (lib/bundling.ts), binds an importer of that `z` straight to zod's
 * and may evaluate the importer before the module that adds the method (esbuild issue 399). This
 * binding is a value of this module's own, so whatever reads it is evaluated after it.
 */
export const z: typeof zod = zod;

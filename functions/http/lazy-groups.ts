import { Hono } from 'hono';
import type { Deps } from '../deps';
import { buildApp, type RouteGroup } from './app';
import type { AppEnv } from './env';
import { errorResponse, internalAnswer } from './errors';

/**
 * A route group a Lambda function loads on the first request under one of its paths. Building
 * every group at start (their schemas, pages and use cases) was most of what our code added to a
 * cold start (bench/README.md); loaded on demand, a start pays only for the group its first
 * request needs. A module reached only through `import()` is a chunk file of its own in the
 * bundle (lib/bundling.ts), which Node reads and compiles when the import runs.
 */
export interface LazyGroup {
  /**
   * Where the group's routes live: `/u/` takes every path below it, `/u/*` the paths one segment
   * below it, `/contact` that path and the paths below it. A request goes to the first group of
   * the list that takes its path and method; every route of a group must get there
   * (test/integration/lazy-groups.test.ts).
   */
  paths: readonly string[];
  /** The methods it takes there (HEAD goes where GET does, as Hono answers it). @default every method */
  methods?: readonly string[];
  load(): Promise<RouteGroup>;
}

/** Whether `path` lies under `where` as `LazyGroup.paths` says. */
export function liesUnder(where: string, path: string): boolean {
  if (where.endsWith('/*')) {
    const base = where.slice(0, -1);
    return path.startsWith(base) && path.length > base.length && !path.slice(base.length).includes('/');
  }
  if (where.endsWith('/')) return path.startsWith(where);
  return path === where || path.startsWith(`${where}/`);
}

/** The group of the list that serves a request, as `LazyGroup` says. */
export function groupFor<G extends LazyGroup>(groups: readonly G[], method: string, path: string): G | undefined {
  const as = method === 'HEAD' ? 'GET' : method;
  return groups.find((g) => (!g.methods || g.methods.includes(as)) && g.paths.some((where) => liesUnder(where, path)));
}

/** What needs every group: the document of all the function's routes, and its page. */
const WHOLE_DOCUMENT_PATHS = new Set(['/openapi.json', '/docs']);

type App = ReturnType<typeof buildApp>;

/**
 * The app of a Lambda function whose groups load on demand. Each request goes, unread, to the
 * app of its group: `buildApp` with that group alone, so that middleware, errors and pages are
 * the very ones of the app with every group. A path of no group goes to the app with none (the
 * health check, the not-found answer); the document and its page to the app with all of them,
 * so that /openapi.json is the document the function has always served.
 */
export function buildLazyApp(deps: Deps, groups: readonly LazyGroup[]) {
  const none = buildApp(deps, []);
  const apps = new Map<LazyGroup | 'all', Promise<App>>();
  const appOf = (key: LazyGroup | 'all', make: () => Promise<App>): Promise<App> => {
    let app = apps.get(key);
    if (!app) {
      app = make();
      apps.set(key, app);
      // A failed load is tried again by the next request rather than remembered.
      app.catch(() => apps.delete(key));
    }
    return app;
  };
  const appFor = async (method: string, path: string): Promise<App> => {
    const group = groupFor(groups, method, path);
    if (group) return appOf(group, async () => buildApp(deps, [await group.load()]));
    if (WHOLE_DOCUMENT_PATHS.has(path)) return appOf('all', async () => buildApp(deps, await Promise.all(groups.map((g) => g.load()))));
    return none;
  };

  const outer = new Hono<AppEnv>();
  outer.all('*', async (c) => (await appFor(c.req.method, c.req.path)).fetch(c.req.raw, c.env));
  outer.onError((err, c) => {
    // Only a group that cannot be loaded gets here; every other error is answered by its app.
    const id = deps.random.id();
    c.set('requestId', id);
    c.header('X-Request-Id', id);
    deps.logger.error('route group not loaded', { requestId: id, error: err });
    return errorResponse(c, internalAnswer);
  });
  return outer;
}

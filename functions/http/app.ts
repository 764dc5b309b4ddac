import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { NotFoundError, PayloadTooLargeError } from '../core/errors';
import type { Deps } from '../deps';
import { checkHealth } from '../use-cases/check-health';
import type { AppEnv } from './env';
import { answerFor, errorResponse, internalAnswer } from './errors';
import { acceptsHtml } from './pages/accepts-html';
import { pageHeaders } from './pages/headers';

/** A group of routes (one per client or resource), mounted at the root. */
export type RouteGroup = ((deps: Deps) => Hono<AppEnv>) & {
  /**
   * Where the group limits request bodies itself, in place of the app-wide `maxBodyBytes`, which
   * would otherwise refuse or buffer a body before the group's routes run: a route (`METHOD /path`,
   * a bulk CSV import read as a stream under a limit of its own) or a path and every path below it
   * (`/console`, whose sign-in limits a body only once the session and its role are known).
   */
  ownBodyLimits?: readonly string[];
};

/**
 * The Hono app every entry point serves: Lambda handlers, the local stack and the tests. Each
 * Lambda function mounts only the groups it serves, so the public function carries no
 * privileged code.
 */
export function buildApp(deps: Deps, groups: RouteGroup[]) {
  // A plain Hono app: the groups bring their schemas (and zod) with them, so an app with none, the
  // one a Lambda function answers its health check and unknown paths with, starts without them.
  const app = new Hono<AppEnv>();

  // Our own id, never the caller's X-Request-Id: a caller could otherwise pick the id under which
  // its requests are logged (or borrow another request's). The platform's id is what API
  // Gateway's own logs and traces carry.
  app.use(async (c, next) => {
    const ctx = (c.env as AppEnv['Bindings'] | undefined)?.event?.requestContext as { requestId?: unknown } | undefined;
    const id = typeof ctx?.requestId === 'string' ? ctx.requestId : deps.random.id();
    c.set('requestId', id);
    c.header('X-Request-Id', id);
    await next();
  });
  app.use(async (c, next) => {
    const log = deps.logger.child({ requestId: c.get('requestId') });
    c.set('log', log);
    const started = performance.now();
    await next();
    // The route pattern, never the path: paths carry tokens and addresses.
    log.info('request', { method: c.req.method, route: c.req.routePath, status: c.res.status, ms: Math.round(performance.now() - started) });
  });
  app.use(pageHeaders());
  const limitBody = bodyLimit({
    maxSize: deps.config.maxBodyBytes,
    onError: () => {
      throw new PayloadTooLargeError(`The request body is larger than ${deps.config.maxBodyBytes} bytes.`);
    },
  });
  const own = groups.flatMap((g) => g.ownBodyLimits ?? []);
  const ownRoutes = new Set(own.filter((w) => w.includes(' ')));
  const ownPaths = own.filter((w) => !w.includes(' '));
  const limitsOwn = (method: string, path: string) =>
    ownRoutes.has(`${method} ${path}`) || ownPaths.some((where) => path === where || path.startsWith(`${where}/`));
  app.use((c, next) => (limitsOwn(c.req.method, c.req.path) ? next() : limitBody(c, next)));

  app.onError((err, c) => {
    const known = answerFor(err);
    if (known) {
      if (known.status >= 500) c.get('log')?.warn('request failed', { error: err, code: known.code });
      return errorResponse(c, known);
    }
    // Name and code only: messages of SDK errors may quote addresses.
    (c.get('log') ?? deps.logger).error('unhandled error', { error: err });
    return errorResponse(c, internalAnswer);
  });
  // A person who typed or followed a wrong address gets a page with a way on; JSON clients, JSON.
  // The page, and the catalogue of texts it reads, is loaded when a browser first asks for one:
  // no start needs them (bench/README.md, "Cold start").
  app.notFound(async (c) => {
    if (!acceptsHtml(c)) return errorResponse(c, answerFor(new NotFoundError()) ?? internalAnswer);
    return (await import('./pages/html-errors')).notFoundPage(c, deps.config.brands);
  });

  app.get('/health', async (c) => {
    await checkHealth(deps);
    return c.json({ status: 'ok' as const }, 200);
  });
  const routers = groups.map((group) => group(deps));
  for (const router of routers) app.route('/', router);

  let document: Promise<object> | undefined;
  const documentOnce = () => {
    document ??= import('./document').then(({ buildDocument }) => buildDocument(deps, routers));
    // A document that failed to build is built again by the next request rather than remembered.
    document.catch(() => {
      document = undefined;
    });
    return document;
  };
  app.get('/openapi.json', async (c) => c.json(await documentOnce()));
  app.get('/docs', async (c) => {
    const { docsPage } = await import('./docs-page');
    return c.html(docsPage(await documentOnce(), c.req.query('lang') === 'ja' ? 'ja' : 'en'));
  });
  return app;
}

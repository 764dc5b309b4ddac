import type { RouteConfig } from '@hono/zod-openapi';
import type { ZodArray, ZodType } from 'zod';
import { z } from './openapi-zod';

/**
 * What the route groups share in their OpenAPI definitions: the error body, the page, the
 * response headers, and the error answers an operation can give, so that each operation lists
 * exactly the statuses its route can answer with, in the media types it answers them.
 */
export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid-request' }),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      requestId: z.string().optional(),
    }),
  })
  .openapi('Error');

/** What a browser gets instead of JSON: a page in the brand's look, in the page's language. */
export const pageSchema = z.string().openapi('Page', { description: "An HTML page in the brand's look, in the page's language." });

const jsonError = { 'application/json': { schema: errorSchema } };
const htmlPage = { 'text/html': { schema: pageSchema } };
const CONTENT = { json: jsonError, page: htmlPage, either: { ...jsonError, ...htmlPage } };

/** A page answer (`200` and the like). */
export const pageAnswer = (description: string) => ({ description, content: htmlPage });

export const retryAfterHeader = {
  'Retry-After': { description: 'Seconds to wait before trying again.', required: true, schema: { type: 'integer' as const, minimum: 0 } },
};
export const locationHeader = (where: string) => ({ Location: { description: where, required: true, schema: { type: 'string' as const } } });
export const attachmentHeader = (example: string) => ({
  'Content-Disposition': { description: 'Always an attachment, so a browser saves it.', required: true, schema: { type: 'string' as const, example } },
});

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 429 | 503;

const DEFAULTS: Record<ErrorStatus, string> = {
  400: 'invalid-request: a bad parameter or body field (`details` names each one)',
  401: 'unauthorized: no or wrong credentials (locally the admin bearer token; in AWS a SigV4-signed request)',
  403: 'invalid-token: the link is not ours (bad signature, unknown key, another purpose) or expired',
  404: 'not-found',
  409: 'The state does not allow it',
  410: 'The link expired',
  413: 'payload-too-large: the body is over the size limit',
  415: 'unsupported-media-type: a body of a media type this route does not read',
  429: 'rate-limited: too many requests; `Retry-After` says when to try again',
  503: 'unavailable: the store (or SES) did not answer in time; nothing was written. `Retry-After` says when to try again',
};

type As = keyof typeof CONTENT;
type ErrorAnswer<A extends As, S> = S extends 429 | 503
  ? { description: string; content: (typeof CONTENT)[A]; headers: typeof retryAfterHeader }
  : S extends 413
    ? { description: string; content: typeof jsonError }
    : { description: string; content: (typeof CONTENT)[A] };

/**
 * The error answers of an operation, by status: `true` takes the usual description. `as` is how
 * the route answers errors: `json`, `page` (a route a person opens in a browser), or `either`
 * (a route that answers a browser's form post with a page and any other client with JSON).
 * `413` is always JSON.
 */
export function errors<A extends As, const S extends Partial<Record<ErrorStatus, string | true>>>(as: A, statuses: S): { [K in keyof S]: ErrorAnswer<A, K> } {
  const out: Record<string, unknown> = {};
  for (const [status, text] of Object.entries(statuses)) {
    const code = Number(status) as ErrorStatus;
    out[status] = {
      description: text === true ? DEFAULTS[code] : text,
      // The body limit is checked before any route, so its answer is JSON even on a page route.
      content: code === 413 ? jsonError : CONTENT[as],
      ...(code === 429 || code === 503 ? { headers: retryAfterHeader } : {}),
    };
  }
  return out as { [K in keyof S]: ErrorAnswer<A, K> };
}

/**
 * A form field sent once or repeated (`topics=a&topics=b`): Hono reads one value as a string and
 * several as an array, so one value is taken as an array of one. Documented as the array it is.
 */
export const repeatedField = <T extends ZodType>(items: ZodArray<T>) => z.preprocess((v) => (typeof v === 'string' ? [v] : v), items);

/** The form encoding of repeated fields: each value its own `name=value` pair. */
export const formEncoding = (...fields: string[]) => Object.fromEntries(fields.map((f) => [f, { style: 'form' as const, explode: true }]));

type BodyContent = NonNullable<NonNullable<RouteConfig['request']>['body']>['content'];

/** A request body the route refuses to go without (`415` when absent). */
export const requiredBody = <C extends BodyContent>(content: C) => ({ content, required: true as const });

/**
 * The HEAD twin of a GET operation, for the document only: Hono answers HEAD through the GET
 * handler (the same status and headers, no body), so nothing is routed for it.
 */
export function headOf(get: RouteConfig, operationId: string): RouteConfig {
  const { middleware: _middleware, ...route } = get as RouteConfig & { middleware?: unknown };
  const responses = Object.fromEntries(
    Object.entries(get.responses).map(([status, r]) => [
      status,
      '$ref' in r ? r : { description: r.description ?? '', ...(r.headers ? { headers: r.headers } : {}) },
    ]),
  );
  return {
    ...route,
    method: 'head',
    operationId,
    summary: `GET ${get.path} without the body`,
    description: `The same status and headers as GET ${get.path}, without the body; it changes nothing either (link scanners and mail gateways send HEAD).`,
    responses,
  };
}

/** An address in the path of a privileged route (suppressions, subscribers, consent proofs). */
export const emailPathParams = z.object({
  email: z
    .string()
    .min(1)
    .max(1024)
    .openapi({ param: { name: 'email', in: 'path' }, example: 'taro@example.com' }),
});

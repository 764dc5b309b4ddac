import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  ConcurrentUpdateError,
  DomainError,
  ErasureIsPermanentError,
  ForbiddenError,
  InvalidTokenError,
  InvalidTransitionError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  UnauthorizedError,
  UnavailableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../core/errors';
import type { AppEnv } from './env';

/** What the HTTP layer answers for an error: status, the contract's code, a sentence, extras. */
export interface ErrorAnswer {
  status: ContentfulStatusCode;
  code: string;
  message: string;
  details?: unknown;
  headers?: Record<string, string>;
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId?: string };
}

// Errors of the AWS SDK and of the network that mean "try again later", not "you sent it wrong".
const TRANSIENT_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'TransactionConflictException',
  'TooManyRequestsException',
]);
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

export function isTransient(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const e = err as Error & { code?: string; $fault?: string; $retryable?: unknown };
  if (TRANSIENT_NAMES.has(e.name) || (e.code && TRANSIENT_CODES.has(e.code)) || e.$fault === 'server' || e.$retryable) return true;
  return e.cause !== undefined && isTransient(e.cause);
}

const UNAVAILABLE = 'The service is briefly unavailable; nothing was changed. Please try again.';
const retryAfter = (seconds: number) => ({ 'Retry-After': String(seconds) });

type Mapping = readonly [new (...args: never[]) => Error, (err: never) => ErrorAnswer];
const map = <E extends Error>(type: new (...args: never[]) => E, answer: (err: E) => ErrorAnswer): Mapping => [type, answer as (err: never) => ErrorAnswer];

/**
 * The one table from errors to answers. First match wins, so a subclass stands before its base.
 * After it: a transient fault of a dependency is a `503`, and any other domain error a `400`.
 */
const TABLE: readonly Mapping[] = [
  map(ValidationError, (e) => ({ status: 400, code: 'invalid-request', message: e.message, details: e.details })),
  map(InvalidTokenError, (e) => ({ status: e.problem === 'malformed' ? 400 : 403, code: 'invalid-token', message: e.message })),
  map(UnauthorizedError, (e) => ({ status: 401, code: 'unauthorized', message: e.message })),
  map(ForbiddenError, (e) => ({ status: 403, code: 'forbidden', message: e.message })),
  map(NotFoundError, (e) => ({ status: 404, code: 'not-found', message: e.message })),
  map(InvalidTransitionError, (e) => ({ status: 409, code: 'invalid-transition', message: e.message })),
  map(ErasureIsPermanentError, (e) => ({ status: 409, code: 'erasure-is-permanent', message: e.message })),
  map(PayloadTooLargeError, (e) => ({ status: 413, code: 'payload-too-large', message: e.message })),
  map(UnsupportedMediaTypeError, (e) => ({ status: 415, code: 'unsupported-media-type', message: e.message })),
  map(RateLimitedError, (e) => ({ status: 429, code: 'rate-limited', message: e.message, headers: retryAfter(e.retryAfterSeconds) })),
  map(UnavailableError, (e) => ({ status: 503, code: 'unavailable', message: e.message, headers: retryAfter(e.retryAfterSeconds) })),
  map(ConcurrentUpdateError, () => ({ status: 503, code: 'unavailable', message: UNAVAILABLE, headers: retryAfter(2) })),
];

/** Hono's own exceptions (its body limit, zod-openapi's media-type gate and body parsing). */
function fromHonoException(err: HTTPException): ErrorAnswer {
  if (err.status === 413) return { status: 413, code: 'payload-too-large', message: 'The request body is too large.' };
  if (err.status === 415) return { status: 415, code: 'unsupported-media-type', message: 'The request body has a media type this route does not read.' };
  // Hono's validators throw this when the body is not what its Content-Type says (broken JSON, a
  // broken multipart form): a bad body like any other, so it takes the same row as one.
  if (err.status === 400) {
    return answerFor(
      new ValidationError('The request body could not be parsed.', [{ path: '(body)', message: 'not valid JSON or form data, as its Content-Type says' }], {
        cause: err,
      }),
    ) as ErrorAnswer;
  }
  return { status: err.status as ContentfulStatusCode, code: 'error', message: err.message };
}

/** Maps anything thrown to the contract's status and body; `undefined` for an unknown fault (500). */
export function answerFor(err: unknown): ErrorAnswer | undefined {
  for (const [type, answer] of TABLE) if (err instanceof type) return answer(err as never);
  if (isTransient(err)) return { status: 503, code: 'unavailable', message: UNAVAILABLE, headers: retryAfter(2) };
  if (err instanceof DomainError) return { status: 400, code: 'invalid-request', message: err.message, details: [] };
  if (err instanceof HTTPException) return fromHonoException(err);
  return undefined;
}

/** The answer to an error nobody expected: no detail of it leaves the process. */
export const internalAnswer: ErrorAnswer = { status: 500, code: 'internal', message: 'Something went wrong on our side.' };

export function errorResponse(c: Context<AppEnv>, answer: ErrorAnswer) {
  const body: ErrorBody = { error: { code: answer.code, message: answer.message } };
  if (answer.details !== undefined) body.error.details = answer.details;
  if (answer.status >= 500 && answer.code === 'internal') body.error.requestId = c.get('requestId');
  for (const [k, v] of Object.entries(answer.headers ?? {})) c.header(k, v);
  return c.json(body, answer.status);
}

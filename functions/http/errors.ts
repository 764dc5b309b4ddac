import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  ConcurrentUpdateError,
  DomainError,
  InvalidTokenError,
  InvalidTransitionError,
  NotFoundError,
  RateLimitedError,
  UnavailableError,
  ValidationError,
} from '../core/errors';
import type { AppEnv } from './env';

/** An error the HTTP layer answers with as it is: status, contract code, message. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly extra: { details?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
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

/** Maps anything thrown to the contract's status and body; the one place that knows the mapping. */
export function toHttpError(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) return err;
  if (err instanceof ValidationError) return new HttpError(400, 'invalid-request', err.message, { details: err.details });
  if (err instanceof InvalidTokenError) {
    return new HttpError(err.problem === 'malformed' ? 400 : 403, 'invalid-token', err.message);
  }
  if (err instanceof NotFoundError) return new HttpError(404, 'not-found', err.message);
  if (err instanceof InvalidTransitionError) return new HttpError(409, 'invalid-transition', err.message);
  if (err instanceof RateLimitedError) {
    return new HttpError(429, 'rate-limited', err.message, { headers: { 'Retry-After': String(err.retryAfterSeconds) } });
  }
  if (err instanceof UnavailableError) {
    return new HttpError(503, 'unavailable', err.message, { headers: { 'Retry-After': String(err.retryAfterSeconds) } });
  }
  if (err instanceof ConcurrentUpdateError || isTransient(err)) {
    return new HttpError(503, 'unavailable', 'The service is briefly unavailable; nothing was changed. Please try again.', {
      headers: { 'Retry-After': '2' },
    });
  }
  if (err instanceof HTTPException) {
    if (err.status === 413) return new HttpError(413, 'payload-too-large', 'The request body is too large.');
    // zod-openapi's own media-type gate (a route with one declared body type and no requireBody).
    if (err.status === 415) return new HttpError(415, 'unsupported-media-type', 'The request body has a media type this route does not read.');
    // Hono's validators throw this when the body is not what its Content-Type says (broken JSON, a
    // broken multipart form): a bad body like any other, so it takes the same row as one.
    if (err.status === 400) {
      return toHttpError(
        new ValidationError('The request body could not be parsed.', [{ path: '(body)', message: 'not valid JSON or form data, as its Content-Type says' }], {
          cause: err,
        }),
      );
    }
    return new HttpError(err.status as ContentfulStatusCode, 'error', err.message);
  }
  if (err instanceof DomainError) return new HttpError(400, 'invalid-request', err.message, { details: [] });
  return undefined;
}

export function errorResponse(c: Context<AppEnv>, err: HttpError) {
  const body: ErrorBody = { error: { code: err.code, message: err.message } };
  if (err.extra.details !== undefined) body.error.details = err.extra.details;
  for (const [k, v] of Object.entries(err.extra.headers ?? {})) c.header(k, v);
  return c.json(body, err.status);
}

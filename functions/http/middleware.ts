import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Config } from '../config';
import { mayUseTransactional } from '../core/caller';
import { ForbiddenError, UnauthorizedError, UnsupportedMediaTypeError } from '../core/errors';
import type { SendCategory } from '../core/recipient-filter';
import type { AppEnv } from './env';

const BODY_TYPES = {
  json: /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i,
  form: /^(?:application\/x-www-form-urlencoded|multipart\/form-data)\s*(?:;|$)/i,
  csv: /^text\/csv\s*(?:;|$)/i,
} as const;
export type BodyType = keyof typeof BODY_TYPES;

/** Refuses a body of a media type the route does not read (415) instead of reading it as empty. */
export function requireBody(...types: BodyType[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const ct = c.req.header('content-type') ?? '';
    if (!types.some((t) => BODY_TYPES[t].test(ct))) {
      throw new UnsupportedMediaTypeError(
        `Send the body as ${types.map((t) => (t === 'json' ? 'application/json' : t === 'csv' ? 'text/csv' : 'a form')).join(' or ')}.`,
      );
    }
    await next();
  };
}

/**
 * Answers no sooner than `ms` after the request came in, whatever the outcome. The routes that
 * must not tell whether an address is known (a subscription request, an inquiry) do different
 * work for different addresses: a confirmation mail sent or not (suppressed, erased, inside the
 * resend window), a write or none. A floor above that work's usual time makes every answer take
 * the same; work slower than the floor still shows, so the floor sits above SES's usual latency.
 */
export function answerNoSoonerThan(ms: number): MiddlewareHandler<AppEnv> {
  return async (_c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const left = ms - (performance.now() - started);
      if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
    }
  };
}

export const isJson = (contentType: string | undefined) => BODY_TYPES.json.test(contentType ?? '');

/**
 * Privileged routes. In AWS, API Gateway's IAM authorizer has already checked the SigV4 signature
 * and this only confirms that the request came through it; locally, a bearer token compared in
 * constant time.
 */
export function requireAdmin(config: Config): MiddlewareHandler<AppEnv> {
  const auth = config.adminAuth;
  const expected = auth.mode === 'bearer' ? digest(auth.token) : undefined;
  return async (c, next) => {
    if (auth.mode === 'iam') {
      const ctx = c.env?.event?.requestContext as { authorizer?: { iam?: { userArn?: string } } } | undefined;
      if (!ctx?.authorizer?.iam) throw new UnauthorizedError('This route needs a signed (IAM) request.');
    } else {
      const header = c.req.header('authorization') ?? '';
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      // Hashing both sides first gives equal lengths, so the comparison time says nothing.
      if (!m?.[1] || !expected || !timingSafeEqual(digest(m[1]), expected)) {
        c.header('WWW-Authenticate', 'Bearer');
        throw new UnauthorizedError('This route needs the admin bearer token.');
      }
    }
    await next();
  };
}

const digest = (s: string) => createHash('sha256').update(s).digest();

const callerArn = (c: { env?: AppEnv['Bindings'] }): string | undefined =>
  (c.env?.event?.requestContext as { authorizer?: { iam?: { userArn?: unknown } } } | undefined)?.authorizer?.iam?.userArn as string | undefined;

/**
 * Transactional mail needs no consent, so in AWS only the roles the deployment names may send it
 * (matched by the role name of the caller's assumed-role ARN): the marketing pipeline's role
 * cannot pass its mail off as transactional. Locally the admin token may send both. Called by the
 * routes that send, after `requireAdmin`, once the body says the category.
 */
export function requireSenderOf(c: { env?: AppEnv['Bindings'] }, config: Config, category: SendCategory): void {
  if (category !== 'transactional' || config.adminAuth.mode === 'bearer') return;
  if (!mayUseTransactional(callerArn(c), config.transactionalSenderRoles)) {
    throw new ForbiddenError('This caller may not send transactional mail; only the roles named for it may.');
  }
}

/** Who did it, for ledger and inquiry events: the IAM principal in AWS, `admin` locally. */
export function actorOf(c: { env?: AppEnv['Bindings'] }): string {
  const ctx = c.env?.event?.requestContext as { authorizer?: { iam?: { userArn?: string } } } | undefined;
  return ctx?.authorizer?.iam?.userArn ?? 'admin';
}

/** The caller's IP and user agent, recorded with consent (never logged). */
export function requestMeta(c: { env?: AppEnv['Bindings']; req: { header(name: string): string | undefined } }): { ip?: string; userAgent?: string } {
  const ctx = c.env?.event?.requestContext as { http?: { sourceIp?: string } } | undefined;
  // X-Forwarded-For is whatever the client says; only the platform's view of the peer counts.
  const ip = ctx?.http?.sourceIp ?? c.env?.incoming?.socket?.remoteAddress;
  const ua = c.req.header('user-agent')?.slice(0, 512);
  return { ...(ip ? { ip } : {}), ...(ua ? { userAgent: ua } : {}) };
}

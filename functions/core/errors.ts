/**
 * Domain errors. The core throws these; the HTTP layer maps them to the contract's error body
 * in one place (`app.onError`), so no core code knows about status codes.
 */
export class DomainError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export type FieldIssue = { path: string; message: string };

export class ValidationError extends DomainError {
  constructor(
    message: string,
    readonly details: FieldIssue[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export type TokenProblem = 'malformed' | 'bad-signature' | 'unknown-key' | 'wrong-purpose' | 'expired';

export class InvalidTokenError extends DomainError {
  constructor(
    readonly problem: TokenProblem,
    options?: ErrorOptions,
  ) {
    super(`The link is not valid (${problem}).`, options);
  }
}

export class NotFoundError extends DomainError {}

export class InvalidTransitionError extends DomainError {
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super(`An inquiry cannot move from ${from} to ${to}.`);
  }
}

/** A write lost a race with another writer; the caller re-reads and tries again. */
export class ConcurrentUpdateError extends DomainError {}

/** A dependency (the store, the mail service) could not answer; nothing was changed. */
export class UnavailableError extends DomainError {
  constructor(
    message = 'The service is briefly unavailable; nothing was changed. Please try again.',
    readonly retryAfterSeconds = 5,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('Too many requests; please try again later.');
  }
}

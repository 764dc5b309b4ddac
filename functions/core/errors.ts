/**
 * Every error class of the backend that extends `Error` itself is declared here: one base per
 * family. The others extend these bases where they are thrown.
 *
 * - `DomainError`: what a request did wrong, or could not do now. The core and the use cases throw
 *   these; the HTTP layer maps each class to the contract's status and code in one table
 *   (`functions/http/errors.ts`), so no code outside it knows a status code.
 * - `StartupError`: the process cannot start (bad environment, bad brands file, a port taken).
 *   It is never answered to a request; the entry point prints its message and exits.
 * - `MailError`: a mail that must not be sent as it stands (a hole in a template, a line break in
 *   a header). A send pipeline records it as the recipient's failure reason.
 */
export class DomainError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class StartupError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A variable of the environment is missing or bad; the message names it. */
export class ConfigError extends StartupError {}

export class MailError extends Error {
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

/** A paged list's cursor that its list did not write (edited, or from another listing). */
export class InvalidCursorError extends ValidationError {
  constructor() {
    super('The cursor is not valid.', [{ path: 'cursor', message: 'pass back the cursor of the previous page as it was given, with the same filters' }]);
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

export class NotFoundError extends DomainError {
  constructor(message = 'There is nothing here.', options?: ErrorOptions) {
    super(message, options);
  }
}

/** The caller has not shown who it is (no or a wrong admin credential). */
export class UnauthorizedError extends DomainError {}

/**
 * The caller is known but may not do this: a role not named for transactional sends, a
 * marketing account on the officer's pages, no console role, a form without its CSRF token.
 */
export class ForbiddenError extends DomainError {}

/** What went wrong in a console sign-in; the page says only that it failed and offers to start again. */
export type SignInProblem = 'state' | 'code' | 'id-token' | 'provider-error';

/** A sign-in that cannot be completed: a bad or replayed `state`, a bad `code` or ID token, the provider's `error=`. */
export class SignInError extends ValidationError {
  constructor(
    readonly problem: SignInProblem,
    options?: ErrorOptions,
  ) {
    super(`The sign-in could not be completed (${problem}).`, [], options);
  }
}

export class PayloadTooLargeError extends DomainError {}

export class UnsupportedMediaTypeError extends DomainError {}

export class InvalidTransitionError extends DomainError {
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super(`An inquiry cannot move from ${from} to ${to}.`);
  }
}

/** An erasure's suppression is kept forever; lifting it is refused. */
export class ErasureIsPermanentError extends DomainError {
  constructor() {
    super('An erasure cannot be lifted.');
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

import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/**
 * The one reading of "this write did not happen because of its condition". A single write throws
 * ConditionalCheckFailedException; a transaction is cancelled with a reason per item.
 */
const named = (err: unknown, name: string) => err instanceof Error && err.name === name;
const cancelledFor = (err: unknown, code: string) =>
  (err instanceof TransactionCanceledException || named(err, 'TransactionCanceledException')) &&
  ((err as TransactionCanceledException).CancellationReasons ?? []).some((r) => r.Code === code);

/** A condition of the write (or of one item of the transaction) did not hold. */
export const conditionFailed = (err: unknown): boolean =>
  err instanceof ConditionalCheckFailedException || named(err, 'ConditionalCheckFailedException') || cancelledFor(err, 'ConditionalCheckFailed');

/**
 * The write lost a race with another writer: its condition failed, or another transaction held an
 * item (TransactionConflict). Either way the caller reads again and decides again.
 */
export const lostRace = (err: unknown): boolean =>
  conditionFailed(err) || named(err, 'TransactionConflictException') || cancelledFor(err, 'TransactionConflict');

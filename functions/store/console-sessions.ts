import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Locale } from '../core/brands';
import type { ConsoleSession } from '../core/console-session';
import type { Db } from './client';
import { conditionFailed } from './conditions';
import { keys } from './keys';

/**
 * The console's sign-in attempts and sessions, each an item keyed by a hash of the random id its
 * cookie holds (the table never sees the id, so a read of the table gives no cookie). Both expire
 * by TTL; since TTL deletes late, every read checks the time itself.
 */
export interface LoginAttempt {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

/** Writes a sign-in attempt that lives until `expiresAt` (epoch seconds). */
export async function putLoginAttempt(db: Db, idHash: string, attempt: LoginAttempt, expiresAt: number): Promise<void> {
  await db.doc.send(
    new PutCommand({
      TableName: db.tableName,
      Item: { ...keys.consoleLogin(idHash), ...attempt, expiresAt },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/**
 * Takes an attempt out of the table: one delete, conditional on the item being there and not
 * expired, so that of two callbacks with the same attempt only one gets it.
 */
export async function takeLoginAttempt(db: Db, idHash: string, nowSeconds: number): Promise<LoginAttempt | undefined> {
  try {
    const out = await db.doc.send(
      new DeleteCommand({
        TableName: db.tableName,
        Key: keys.consoleLogin(idHash),
        ConditionExpression: 'attribute_exists(pk) AND expiresAt > :now',
        ExpressionAttributeValues: { ':now': nowSeconds },
        ReturnValues: 'ALL_OLD',
      }),
    );
    const a = out.Attributes;
    if (!a) return undefined;
    return { state: String(a.state), nonce: String(a.nonce), codeVerifier: String(a.codeVerifier), returnTo: String(a.returnTo) };
  } catch (err) {
    if (conditionFailed(err)) return undefined;
    throw err;
  }
}

/** Writes a new session that the table drops at `expiresAt` (epoch seconds, its absolute end). */
export async function putSession(db: Db, idHash: string, session: ConsoleSession, expiresAt: number): Promise<void> {
  await db.doc.send(
    new PutCommand({
      TableName: db.tableName,
      Item: { ...keys.consoleSession(idHash), ...session, expiresAt },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getSession(db: Db, idHash: string): Promise<ConsoleSession | undefined> {
  const out = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.consoleSession(idHash), ConsistentRead: true }));
  const i = out.Item;
  if (!i) return undefined;
  return {
    username: String(i.username),
    roles: Array.isArray(i.roles) ? (i.roles as ConsoleSession['roles']) : [],
    csrfToken: String(i.csrfToken),
    createdAt: String(i.createdAt),
    lastUsedAt: String(i.lastUsedAt),
    ...(typeof i.locale === 'string' ? { locale: i.locale as Locale } : {}),
    ...(typeof i.idToken === 'string' ? { idToken: i.idToken } : {}),
  };
}

/**
 * Records a use of the session (and the language chosen, when one is given). Conditional on the
 * last use being the one read: of concurrent requests one writes, the others need not; and a
 * session deleted meanwhile (signed out) is not brought back.
 */
export async function touchSession(db: Db, idHash: string, seenLastUsedAt: string, lastUsedAt: string, locale?: Locale): Promise<boolean> {
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: keys.consoleSession(idHash),
        UpdateExpression: locale ? 'SET lastUsedAt = :at, locale = :locale' : 'SET lastUsedAt = :at',
        ConditionExpression: 'lastUsedAt = :seen',
        ExpressionAttributeValues: { ':at': lastUsedAt, ':seen': seenLastUsedAt, ...(locale ? { ':locale': locale } : {}) },
      }),
    );
    return true;
  } catch (err) {
    if (conditionFailed(err)) return false;
    throw err;
  }
}

/** Ends a session; its cookie names nothing after this. */
export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.doc.send(new DeleteCommand({ TableName: db.tableName, Key: keys.consoleSession(idHash) }));
}

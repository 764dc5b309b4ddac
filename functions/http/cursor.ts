import type { z } from 'zod';
import { InvalidCursorError } from '../core/errors';

/**
 * The `cursor` of every paged list: opaque to clients (base64url of JSON), and checked on the
 * way back against the shape its list wrote, so that a cursor edited by hand, or one from another
 * listing, is a `400` rather than a read from wherever it points.
 */
export const encodeCursor = (position: unknown): string => Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');

export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>, belongs: (position: T) => boolean = () => true): T {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success || !belongs(parsed.data)) throw new InvalidCursorError();
  return parsed.data;
}

/**
 * `GET /health`: whether the store answers. Whatever its fault (down, throttled, the table
 * missing), health is simply "not ok", a 503.
 */
import { UnavailableError } from '../core/errors';
import type { Deps } from '../deps';
import { pingStore } from '../store/ping';

export async function checkHealth(deps: Pick<Deps, 'db'>): Promise<void> {
  try {
    await pingStore(deps.db);
  } catch (cause) {
    throw new UnavailableError('The store does not answer.', 5, { cause });
  }
}

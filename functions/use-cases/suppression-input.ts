import { type NormalizedEmail, normalizeEmail } from '../core/email';
import { ValidationError } from '../core/errors';
import type { Deps } from '../deps';

/** The normalized address, or a 400 naming the problem (never echoing the address). */
export function addressOrThrow(raw: string, path = 'email'): NormalizedEmail {
  const r = normalizeEmail(raw);
  if (!r.ok) throw new ValidationError('The address is not valid.', [{ path, message: `invalid address (${r.problem})` }]);
  return r.email;
}

/** `*` for every brand, or a known brand id. */
export function scopeOf(deps: Pick<Deps, 'config'>, brand: string | undefined): string {
  if (brand === undefined || brand === '' || brand === '*') return '*';
  return deps.config.brands.require(brand).id;
}

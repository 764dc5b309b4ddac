import type { Brand, Locale } from '../core/brands';
import { LOCALES } from '../core/brands';
import { type EmailId, isEmailId } from '../core/email-id';
import { InvalidTokenError, ValidationError } from '../core/errors';
import { isExpired } from '../core/tokens';
import type { Deps } from '../deps';

/**
 * What the links of the subscription flows name, read from their signed tokens, and the brand
 * and topic checks every use case of this flow shares.
 */
export interface UnsubscribeClaims {
  brand: Brand;
  emailId: EmailId;
  /** The topic the link was made for (a one-click POST unsubscribes exactly this one). */
  topic: string;
}

export interface ConfirmClaims {
  brand: Brand;
  emailId: EmailId;
  topics: string[];
  locale?: Locale;
  expired: boolean;
}

/** An unsubscribe link's claims; a link for a brand no longer configured is unusable. */
export function readUnsubscribeToken(deps: Pick<Deps, 'tokens' | 'config'>, token: string): UnsubscribeClaims {
  const p = deps.tokens.verify(token, 'unsubscribe');
  const brand = p.b ? deps.config.brands.get(p.b) : undefined;
  if (!brand || !p.e || !isEmailId(p.e) || typeof p.t !== 'string') throw new InvalidTokenError('malformed');
  return { brand, emailId: p.e, topic: p.t };
}

/** A confirmation link's claims, expired or not (an expired link gets a page offering a new mail). */
export function readConfirmToken(deps: Pick<Deps, 'tokens' | 'config' | 'clock'>, token: string): ConfirmClaims {
  const p = deps.tokens.verify(token, 'confirm', { allowExpired: true });
  const brand = p.b ? deps.config.brands.get(p.b) : undefined;
  const topics = Array.isArray(p.t) ? p.t : [];
  if (!brand || !p.e || !isEmailId(p.e) || topics.length === 0 || !topics.every((t) => brand.topics.includes(t))) throw new InvalidTokenError('malformed');
  const locale = LOCALES.find((l) => l === p.l);
  return { brand, emailId: p.e, topics, ...(locale ? { locale } : {}), expired: isExpired(p, deps.clock.now()) };
}

/** Every topic must be one of the brand's; `pathOf` names the field of each bad one. */
export function requireTopics(brand: Brand, topics: readonly string[], pathOf: (topic: string, i: number) => string): void {
  const bad = topics.map((t, i) => ({ t, i })).filter(({ t }) => !brand.topics.includes(t));
  if (bad.length) {
    throw new ValidationError(
      'Unknown topic.',
      bad.map(({ t, i }) => ({ path: pathOf(t, i), message: `"${t}" is not a topic of ${brand.id}; one of ${brand.topics.join(', ')}` })),
    );
  }
}

import type { Locale } from '../../core/brands';
import type { AppEnv } from '../env';

/** The two kinds of operator (CONTRACT.md, "Console"), from the ID token's groups. */
export type ConsoleRole = 'officer' | 'marketer';

/** Who is signed in: `username` is what every event the console writes records as `by`. */
export interface Operator {
  username: string;
  roles: readonly ConsoleRole[];
}

/**
 * What the console's sign-in middleware puts on the context of every console request that has a
 * live session: the operator, the CSRF token bound to the session (every form that changes
 * something carries it as the field `csrf`; the middleware checks it on every POST before a route
 * runs), and the operator's language.
 */
export interface ConsoleEnv extends AppEnv {
  Variables: AppEnv['Variables'] & { operator: Operator; csrfToken: string; locale: Locale };
}

/** The form field that carries the CSRF token. */
export const CSRF_FIELD = 'csrf';

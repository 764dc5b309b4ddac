import { ForbiddenError } from '../../core/errors';
import type { ConsoleRole, Operator } from './context';

/** An operator without the role a console route needs. */
export class RoleRequiredError extends ForbiddenError {
  constructor(readonly role: ConsoleRole) {
    super(`This page needs the role ${role}.`);
  }
}

/**
 * Who may use which console route (CONTRACT.md "Console"): a path and every path below it, for
 * every method or for POST alone. A route no rule names is for every operator. One table, read by
 * the sign-in middleware before a body is read or a CSRF token looked for, and by the menu.
 */
const ROUTE_ROLES: readonly { path: string; method?: 'POST'; role: ConsoleRole }[] = [
  { path: '/console/inquiries', role: 'officer' },
  { path: '/console/subscribers', role: 'officer' },
  // The list and its export are for both; adding, lifting and importing are the officer's.
  { path: '/console/suppressions', method: 'POST', role: 'officer' },
];

/** The role a request to `path` needs, if any. */
const roleFor = (method: string, path: string): ConsoleRole | undefined =>
  ROUTE_ROLES.find((r) => (!r.method || r.method === method) && (path === r.path || path.startsWith(`${r.path}/`)))?.role;

export const mayUse = (operator: Operator, method: string, path: string): boolean => {
  const role = roleFor(method, path);
  return !role || operator.roles.includes(role);
};

/** Refuses an operator without the role the route needs, before anything of the request is read. */
export function checkRole(operator: Operator, method: string, path: string): void {
  const role = roleFor(method, path);
  if (role && !operator.roles.includes(role)) throw new RoleRequiredError(role);
}

import type { Deps } from '../deps';
import { buildApp, type RouteGroup } from './app';

/** Every route group, for the local stack and the tests. Lambda handlers pick their own. */
export const allRouteGroups: RouteGroup[] = [];

export function createApp(deps: Deps) {
  return buildApp(deps, allRouteGroups);
}

import type { Deps } from '../deps';
import { buildApp } from './app';
import { consoleRoutes } from './console';
import { localOnlyGroups, privilegedGroups } from './privileged';
import { publicGroups } from './public';

/**
 * Every route group, for the local stack and the tests. Lambda handlers pick their own. The
 * console is there when the config names its OpenID provider.
 */
export function createApp(deps: Deps, opts: { local?: boolean } = { local: true }) {
  return buildApp(deps, [...publicGroups, ...privilegedGroups, ...(deps.config.console ? [consoleRoutes] : []), ...(opts.local ? localOnlyGroups : [])]);
}

import type { Deps } from '../deps';
import { buildApp } from './app';
import { localOnlyGroups, privilegedGroups } from './privileged';
import { publicGroups } from './public';

/** Every route group, for the local stack and the tests. Lambda handlers pick their own. */
export function createApp(deps: Deps, opts: { local?: boolean } = { local: true }) {
  return buildApp(deps, [...publicGroups, ...privilegedGroups, ...(opts.local ? localOnlyGroups : [])]);
}

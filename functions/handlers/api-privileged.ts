import { handle } from 'hono/aws-lambda';
import { buildLazyApp } from '../http/lazy-groups';
import { privilegedLazyGroups } from '../http/privileged-lazy';
import { campaignQueueFor } from '../wiring';
import { depsFromEnv } from './bootstrap';

/**
 * The privileged function: the send pipeline and the privacy officer's tools, reached only through
 * API Gateway's IAM authorizer (ADMIN_AUTH=iam). Local-only routes are never mounted here. Each
 * route group is built on the first request that needs it.
 */
const deps = await depsFromEnv();
deps.campaignQueue = campaignQueueFor(deps);
export const handler = handle(buildLazyApp(deps, privilegedLazyGroups));

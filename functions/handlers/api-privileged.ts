import { handle } from 'hono/aws-lambda';
import { buildApp } from '../http/app';
import { privilegedGroups } from '../http/privileged';
import { campaignQueueFor } from '../wiring';
import { depsFromEnv } from './bootstrap';

/**
 * The privileged function: the send pipeline and the privacy officer's tools, reached only through
 * API Gateway's IAM authorizer (ADMIN_AUTH=iam). Local-only routes are never mounted here.
 */
const deps = await depsFromEnv();
deps.campaignQueue = campaignQueueFor(deps);
export const handler = handle(buildApp(deps, privilegedGroups));

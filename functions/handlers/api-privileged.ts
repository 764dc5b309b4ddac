import { handle } from 'hono/aws-lambda';
import { buildApp } from '../http/app';
import { privilegedGroups } from '../http/privileged';
import { depsFromEnv } from './bootstrap';

/**
 * The privileged function: the send pipeline and the privacy officer's tools, reached only through
 * API Gateway's IAM authorizer (ADMIN_AUTH=iam). Local-only routes are never mounted here.
 */
export const handler = handle(buildApp(await depsFromEnv(), privilegedGroups));

import { handle } from 'hono/aws-lambda';
import { buildApp } from '../http/app';
import { publicGroups } from '../http/public';
import { depsFromEnv } from './bootstrap';

/**
 * The public function: links in emails, contact forms, pages. It imports only the public route
 * groups, so no privileged route is in its bundle (test/infra/bundles.test.ts checks that).
 */
export const handler = handle(buildApp(await depsFromEnv(), publicGroups));

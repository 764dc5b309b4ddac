import { handle } from 'hono/aws-lambda';
import { buildLazyApp } from '../http/lazy-groups';
import { publicLazyGroups } from '../http/public-lazy';
import { depsFromEnv } from './bootstrap';

/**
 * The public function: links in emails, contact forms, pages. It imports only the public route
 * groups, so no privileged route is in its bundle (test/infra/bundles.test.ts checks that), and
 * builds each on the first request that needs it, so that a cold start pays for one group.
 */
export const handler = handle(buildLazyApp(await depsFromEnv(), publicLazyGroups));

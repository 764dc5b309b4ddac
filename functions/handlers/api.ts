import { handle } from 'hono/aws-lambda';
import { createApp } from '../http';
import { depsFromEnv } from './bootstrap';

/** API Gateway (HTTP API, payload v2) → Hono. Dependencies are built once per cold start. */
export const handler = handle(createApp(await depsFromEnv(), { local: false }));

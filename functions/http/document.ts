import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Hono } from 'hono';
import type { Deps } from '../deps';
import type { AppEnv } from './env';
import { z } from './openapi-zod';
import { errors } from './schemas';

/**
 * The frame of the OpenAPI document every function serves at /openapi.json: its info, servers
 * and the tags the operations use, each said once here with what it groups.
 */
export const TAGS = [
  { name: 'preferences', description: 'The links in marketing mail: RFC 8058 one-click unsubscribe, the preference center page and its JSON API.' },
  { name: 'subscriptions', description: 'Subscribing with double opt-in: the request, and the confirmation pages behind the link of the mail.' },
  { name: 'inquiries', description: 'Privacy inquiries (GDPR, APPI) from the contact forms: intake, verification, the status page and the data export.' },
  { name: 'sending', description: 'Privileged: the send filter, sends and campaigns of the marketing send pipeline.' },
  { name: 'privacy officer', description: 'Privileged: inquiries and their steps, everything held about an address, and the suppression list.' },
  { name: 'local', description: 'Only in the local stack (`npm start`): what AWS does by itself there, such as SES feedback.' },
  { name: 'health', description: 'Whether the function and its store answer.' },
  { name: 'pages', description: 'What the HTML pages share.' },
  { name: 'reference', description: 'This document and its readable page.' },
];

function documentConfig(deps: Pick<Deps, 'config'>) {
  const first = deps.config.brands.list[0];
  return {
    openapi: '3.1.0',
    info: {
      title: 'Email preference and privacy inquiry backend',
      version: '1.0.0',
      description:
        'Unsubscribe links, preference center, double opt-in, privacy inquiries and the send pipeline for livlog.jp, livlog.xyz, cotogoto.ai and chroco.ooo. Every JSON error is {"error": {"code", "message", "details"?}}; a browser (a page route, or a form post asking for text/html) gets the same status as a page.',
      ...(first ? { contact: { name: first.name.en, url: first.privacyPolicyUrl } } : {}),
    },
    servers: [{ url: deps.config.publicBaseUrl }],
    tags: TAGS,
  };
}

const json = { 'application/json': { schema: { type: 'object' as const } } };

/**
 * The routes app.ts serves itself, without a schema to check at run time: the health check, and
 * /openapi.json and /docs beside the routes they describe.
 */
const ownRoutes: RouteConfig[] = [
  {
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    summary: 'Liveness and store reachability',
    description: 'Answers 200 only when the store answers (one read), 503 with Retry-After otherwise, within 5 seconds.',
    tags: ['health'],
    responses: {
      200: { description: 'The store answers', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } } },
      ...errors('json', { 503: 'unavailable: the store does not answer' }),
    },
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This OpenAPI 3.1 document',
    description: 'Generated from the route definitions the function serves, so it lists exactly its routes.',
    tags: ['reference'],
    responses: { 200: { description: 'The document', content: json } },
  },
  {
    method: 'get',
    path: '/docs',
    operationId: 'showApiReference',
    summary: 'The API reference as a page',
    description: 'Rendered on the server from this document; no script, no CDN.',
    tags: ['reference'],
    responses: { 200: { description: 'Page', content: { 'text/html': { schema: { type: 'string' as const } } } } },
  },
];

/**
 * The OpenAPI 3.1 document of an app's route groups (their routers, as app.ts built them) and of
 * the routes app.ts serves itself. Imported by app.ts on the first request for the document, so
 * that no start pays for the document's machinery.
 */
export function buildDocument(deps: Pick<Deps, 'config'>, routers: readonly Hono<AppEnv>[]) {
  const doc = new OpenAPIHono();
  for (const r of routers) doc.route('/', r);
  doc.openAPIRegistry.registerComponent('securitySchemes', 'adminBearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'Local stack: Authorization: Bearer $ADMIN_TOKEN. In AWS these routes take SigV4 (IAM) instead.',
  });
  for (const route of ownRoutes) doc.openAPIRegistry.registerPath(route);
  return doc.getOpenAPI31Document(documentConfig(deps));
}

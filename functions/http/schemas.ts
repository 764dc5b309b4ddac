import { z } from '@hono/zod-openapi';

/** Schemas shared by several route groups. */
export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid-request' }),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      requestId: z.string().optional(),
    }),
  })
  .openapi('Error');

export const errorResponses = {
  400: { description: 'Invalid request or malformed token', content: { 'application/json': { schema: errorSchema } } },
  413: { description: 'Body too large', content: { 'application/json': { schema: errorSchema } } },
  415: { description: 'Unsupported media type', content: { 'application/json': { schema: errorSchema } } },
  503: { description: 'Store unavailable; nothing written', content: { 'application/json': { schema: errorSchema } } },
} as const;

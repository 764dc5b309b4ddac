import type { Context } from 'hono';

/** Whether a request asks for HTML (a browser), for routes with no page of their own. */
export const acceptsHtml = (c: Context): boolean => (c.req.header('accept') ?? '').includes('text/html');

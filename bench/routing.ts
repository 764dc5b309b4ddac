import { Hono } from 'hono';
import { loadConfig } from '../functions/config';
import { fixedClock } from '../functions/core/clock';
import { createDeps } from '../functions/deps';
import { createApp } from '../functions/http';
import { SITE_CSS } from '../functions/http/pages/site-css';
import { silentLogger } from '../functions/log';

/**
 * Hono routing overhead of our middleware stack (request id, logging, body limit, page headers,
 * error mapping, every route group mounted) against a bare Hono app serving the same bytes.
 * No store is touched: the route is the static stylesheet.
 */
export interface RoutingFigures {
  oursMedianUs: number;
  bareMedianUs: number;
  ratio: number;
}

export async function measureRouting(opts: { requests?: number; rounds?: number } = {}): Promise<RoutingFigures> {
  const requests = opts.requests ?? 5000;
  const rounds = opts.rounds ?? 5;
  const key = Buffer.alloc(32, 1).toString('base64');
  const config = loadConfig({
    TABLE_NAME: 'bench',
    PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
    DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
    TOKEN_KEYS: JSON.stringify({ b: key }),
    TOKEN_SIGNING_KEY_ID: 'b',
    EMAIL_PEPPER: key,
    ADMIN_AUTH: 'bearer',
    ADMIN_TOKEN: 'bench-admin-token-0123456789',
  });
  const ours = createApp(createDeps(config, { clock: fixedClock('2026-11-29T00:00:00Z'), logger: silentLogger }));
  const bare = new Hono().get('/assets/site.css', (c) => c.body(SITE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' }));

  const time = async (app: { request: (p: string) => Response | Promise<Response> }) => {
    const perRound: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      for (let i = 0; i < requests; i++) {
        const res = await app.request('/assets/site.css');
        await res.arrayBuffer();
      }
      perRound.push(((performance.now() - t0) * 1000) / requests);
    }
    return median(perRound);
  };
  // Warm both up first, then interleave so that drift hits both alike.
  await time(ours);
  await time(bare);
  const oursMedianUs = await time(ours);
  const bareMedianUs = await time(bare);
  return { oursMedianUs, bareMedianUs, ratio: oursMedianUs / bareMedianUs };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

import { Hono } from 'hono';
import { createApp } from '../../functions/http';
import { SITE_CSS } from '../../functions/http/pages/site-css';
import { type BenchContext, type Figure, median, row } from '../context';

const REQUESTS = 4000;
const ROUNDS = 5;

/**
 * Hono routing overhead of our middleware stack (request id, access log, body limit, page
 * headers, error mapping, every route group mounted) against a bare Hono app serving the same
 * bytes. The route is the static stylesheet, so the store is not part of the figure.
 */
export const routingFigure: Figure = {
  name: 'routing',
  async run(ctx: BenchContext) {
    const ours = createApp(ctx.deps);
    const bare = new Hono().get('/assets/site.css', (c) => c.body(SITE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' }));
    const perRequestUs = async (app: { request: (p: string) => Response | Promise<Response> }) => {
      const t0 = performance.now();
      for (let i = 0; i < REQUESTS; i++) await (await app.request('/assets/site.css')).arrayBuffer();
      return ((performance.now() - t0) * 1000) / REQUESTS;
    };
    ctx.progress(`routing: ${ROUNDS} interleaved rounds of ${REQUESTS} requests each`);
    await perRequestUs(ours);
    await perRequestUs(bare);
    const a: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      a.push(await perRequestUs(ours));
      b.push(await perRequestUs(bare));
    }
    return [
      row(
        {
          figure: 'routing: GET /assets/site.css, our stack',
          value: median(a),
          unit: 'µs/req',
          baseline: { name: 'bare Hono app', value: median(b) },
          goal: '≤ 2',
        },
        (r) => r <= 2,
      ),
    ];
  },
};

import type { Context } from 'hono';
import type { Logger } from '../log';

/**
 * A CSV file streamed to the client as the store pages through it (the suppression export, from
 * the JSON route and the console alike), so that a long list is never held in memory.
 */
export function csvDownload(c: Context, chunks: AsyncGenerator<string, unknown, unknown>, filename: string, log: Logger): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (err) {
        // The headers are sent already: cutting the stream is the only way left to say it failed.
        log.error('csv download failed', { error: err });
        controller.error(err);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return c.body(body, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
    'cache-control': 'no-store',
  });
}

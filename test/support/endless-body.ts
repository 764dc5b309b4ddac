/**
 * A request body that never ends: `head`, then `chunk` again on every pull. Only a server that
 * stops reading at its limit (and refuses before the body ends, as a chunked upload's limit
 * must) can answer it. `pulled()` is how many bytes were asked for; `chunk` is one chunk's length.
 */
export function endlessBody(head: string | Uint8Array, chunk: string = 'x'.repeat(64 * 1024)) {
  const first = typeof head === 'string' ? new TextEncoder().encode(head) : head;
  const more = new TextEncoder().encode(chunk);
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(first);
      pulled += first.length;
    },
    pull(controller) {
      controller.enqueue(more);
      pulled += more.length;
    },
  });
  return { body, chunk: more.length, pulled: () => pulled };
}

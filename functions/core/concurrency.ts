/**
 * Runs `fn` over `items` with at most `limit` calls in flight, in the items' order of start. The
 * first failure stops new calls from starting and is thrown once the calls already started have
 * settled, so that nothing still runs (or writes) after the caller has been told it failed.
 */
export async function forEachConcurrently<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const index = next++;
      try {
        await fn(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(0, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
}

/**
 * Runs `run` over `items` with at most `limit` calls in flight; rejects with the first failure
 * (the calls already started finish on their own). For fan-outs to a server that must not get
 * hundreds of requests at once.
 */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) await run(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

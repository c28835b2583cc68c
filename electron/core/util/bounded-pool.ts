// Runs in: main (core). Runs async work over a list with a bound on how much runs at once (copies to
// a remote, kernel copies of cache objects): enough to keep the disk or libuv's threads busy, not a
// promise per file at once.

/** Runs `fn` over `items` with at most `limit` at once; every item is tried, errors are collected. */
export async function boundedPool<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<unknown[]> {
  const errors: unknown[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return errors;
}

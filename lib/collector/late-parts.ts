/**
 * Parts of a look that must not hold it back: each promise gets until `graceMs` to land; the
 * ones still out are reported so the caller can publish again when they do.
 */
export async function settleWithin(parts: Promise<unknown>[], graceMs: number): Promise<Promise<unknown>[]> {
  const done = new Set<Promise<unknown>>();
  for (const p of parts)
    void p.then(
      () => done.add(p),
      () => done.add(p),
    );
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled(parts), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
  // One more turn so parts that landed together with the timer are counted as landed.
  await Promise.resolve();
  return parts.filter((p) => !done.has(p));
}

/**
 * What memory pressure did to the keys a scenario seeded, judged against the guide. Pure.
 * Seeds come in two halves written a couple of seconds apart (older, then newer), so an LRU
 * that evicts oldest first should take more of the older half.
 */
export interface HalfFate {
  /** Seeded keys in this half. */
  seeded: number;
  /** Of those, gone after the pressure. */
  lost: number;
}

export type Verdict = { exercised: false; why: string } | { exercised: true; ok: boolean; why: string };

/** "Session data preserved": holds when no seeded session was lost; not exercised without evictions. */
export function judgeSessions(older: HalfFate, newer: HalfFate, evictedKeys: number): Verdict {
  const lost = older.lost + newer.lost;
  const seeded = older.seeded + newer.seeded;
  if (evictedKeys === 0) return { exercised: false, why: `Redis evicted nothing, so nothing could test it; ${lost} of ${seeded} sessions gone` };
  if (lost === 0) return { exercised: true, ok: true, why: `all ${seeded} seeded sessions still readable after ${evictedKeys} evictions` };
  return {
    exercised: true,
    ok: false,
    why: `${lost} of ${seeded} seeded sessions lost (older half ${older.lost}/${older.seeded}, newer half ${newer.lost}/${newer.seeded}) among ${evictedKeys} evictions: allkeys-lru evicts any key, sessions included`,
  };
}

/** "Oldest cache entries evicted first": the older half lost strictly more than the newer half. */
export function judgeLruOrder(older: HalfFate, newer: HalfFate): Verdict {
  const detail = `older half lost ${older.lost}/${older.seeded}, newer half ${newer.lost}/${newer.seeded}`;
  if (older.lost + newer.lost === 0) return { exercised: false, why: `no seeded cache entry was evicted (${detail})` };
  if (older.lost === older.seeded && newer.lost === newer.seeded)
    return { exercised: false, why: `every seeded cache entry was evicted, so their order cannot be seen (${detail})` };
  return { exercised: true, ok: older.lost > newer.lost, why: detail };
}

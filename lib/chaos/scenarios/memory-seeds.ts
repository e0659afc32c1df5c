import "server-only";
/**
 * The keys memory-pressure watches: L3 sessions and L2 cache entries, written through the
 * layers' own APIs like a tenant's, in an older and a newer half; afterwards, what became of
 * each as a tenant would see it (GET the session, ask for the same completion again).
 */
import type { HalfFate } from "./eviction-verdict";
import { completionCache, createSession, inPool, sessionFate } from "./tenant-calls";

/** A tenant per run, so repeated runs never meet L2's hourly token budget. */
export function seedTenant(runId: string): string {
  return `chaos-memory-${runId.slice(-6)}`;
}

export interface SeedHalf {
  sessions: string[];
  prompts: string[];
}

export interface SeedFates {
  older: HalfFate;
  newer: HalfFate;
  /** Answers that were neither "there" nor "gone" (timeouts, 5xx). */
  unclear: number;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Creates `n` sessions on L3 and `n` cache entries on L2 (distinct prompts, each a miss that fills the cache). */
export async function plantHalf(urls: { l2: string; l3: string }, runId: string, half: "older" | "newer", n: number): Promise<SeedHalf> {
  const tenant = seedTenant(runId);
  const sessions = await inPool(range(n), () => createSession(urls.l3, tenant, "memory-pressure"));
  const prompts = range(n).map((i) => `memory-pressure ${runId} ${half} entry ${i}`);
  const outcomes = await inPool(prompts, (p) => completionCache(urls.l2, tenant, p));
  const bad = outcomes.filter((o) => o !== "miss");
  if (bad.length) throw new Error(`${bad.length} of ${n} L2 seed completions did not fill the cache (first: ${bad[0]})`);
  return { sessions, prompts };
}

function fold(results: string[][], present: string): SeedFates {
  const [older, newer] = results.map((r) => ({ seeded: r.length, lost: r.filter((x) => x === "lost" || x === "miss").length }));
  const unclear = results.flat().filter((x) => x !== present && x !== "lost" && x !== "miss").length;
  return { older, newer, unclear };
}

/** Which seeded sessions L3 still serves (GET /sessions/:id → 200) and which are gone (404). */
export async function sessionFates(l3: string, older: SeedHalf, newer: SeedHalf): Promise<SeedFates> {
  const results = await Promise.all([older, newer].map((h) => inPool(h.sessions, (id) => sessionFate(l3, id))));
  return fold(results, "present");
}

/** Which seeded prompts L2 still answers from its cache (X-Cache: hit) and which miss. */
export async function cacheFates(l2: string, runId: string, older: SeedHalf, newer: SeedHalf): Promise<SeedFates> {
  const results = await Promise.all([older, newer].map((h) => inPool(h.prompts, (p) => completionCache(l2, seedTenant(runId), p))));
  return fold(results, "hit");
}

/**
 * One record's write as the lease holder makes it (a timeline event, fenced by the lease in the
 * same statement), timed one after another on one engine. Run in its own process by
 * store-cost.ts: lib/store is server-only, which needs Node's react-server condition.
 * Usage: node --conditions=react-server --import tsx bench/store-writes.ts <pglite-dir | postgres-url> <writes>
 * Prints {engine, writes, p50Ms, p99Ms, maxMs} as one JSON line.
 */
import { openStore } from "../lib/store/store";
import type { TimelineEvent } from "../lib/timeline/types";
import { percentile, round } from "./stats";

const [where, count] = process.argv.slice(2);
const writes = Number(count ?? 500);
const store = await openStore(where.startsWith("postgres") ? { dataDir: null, databaseUrl: where } : { dataDir: where });
const fence = { lease: "bench", holder: "bench-writer" };
await store.leases.acquire(fence.lease, fence.holder, 600_000);
const times: number[] = [];
const base = Date.now() * 1000;
// A few first writes warm the engine (PGlite's WASM JIT, pg's connection): not the figure.
for (let i = 0; i < writes + 20; i++) {
  const event: TimelineEvent = {
    id: base + i,
    at: new Date().toISOString(),
    kind: "layer",
    severity: "warn",
    subject: "L1",
    title: `L1 degraded (was ok) #${i}`,
  };
  const t0 = performance.now();
  await store.timeline.append("bench", [event], fence);
  if (i >= 20) times.push(performance.now() - t0);
}
await store.close();
console.log(
  JSON.stringify({
    engine: store.engine,
    writes,
    p50Ms: round(percentile(times, 50), 2),
    p99Ms: round(percentile(times, 99), 2),
    maxMs: round(percentile(times, 100), 2),
  }),
);

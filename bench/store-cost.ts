/**
 * What the store costs the console: /api/snapshot's back-to-back throughput (as a share of a bare
 * server sending the same bytes, measured right after it: on a loaded machine the share drifts
 * less than either figure) and its paced p99 with PGlite, with PostgreSQL, and with no store (one
 * that cannot open: memory only), each on a fresh console; and one record's write p99 on each
 * engine. The snapshot never waits on the store (it is served from memory), so the three should
 * agree within the machine's noise.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startPostgres } from "../tests/integration/helpers/postgres";
import { ConsoleProcess } from "./console-process";
import { BASE_PORT, CONSOLE_URL, ROOT } from "./env";
import { bareServer, snapshotLatency, type LatencyResult } from "./snapshot-latency";
import { allOk, SseViewer } from "./sse-viewer";
import { round, sleep } from "./stats";

/** The bench's private PostgreSQL, beside the devstack's ports and the exporter's. */
const PG_PORT = BASE_PORT + 30;
const WRITES = 500;

export interface StoreMode {
  store: "none (cannot open: memory only)" | "pglite" | "postgres";
  backToBack: LatencyResult;
  /** The bare server with the same bytes, right after. */
  bare: LatencyResult;
  paced: LatencyResult;
  /** Back-to-back requests/s as a share of the bare server's. */
  ratioToBare: number | null;
}

export interface StoreCost {
  modes: StoreMode[];
  writes: { engine: string; writes: number; p50Ms: number; p99Ms: number; maxMs: number }[];
}

function timeWrites(where: string): StoreCost["writes"][number] {
  const out = execFileSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join(ROOT, "bench/store-writes.ts"), where, String(WRITES)],
    {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 300_000,
    },
  );
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

/** Each mode on a fresh console on the bench port, each followed by the bare server (on `barePort`). */
export async function storeCost(barePort: number, requests: number, pacedMs: number, log: (s: string) => void): Promise<StoreCost> {
  const pg = startPostgres(PG_PORT, "bench");
  const pgliteDir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-bench-pglite-"));
  const modes: StoreMode[] = [];
  try {
    const envs: [StoreMode["store"], Record<string, string>][] = [
      ["none (cannot open: memory only)", { DATABASE_URL: "postgres://bench@127.0.0.1:1/none" }],
      ["pglite", {}],
      ["postgres", { DATABASE_URL: pg.url }],
    ];
    for (const [store, env] of envs) {
      const proc = await ConsoleProcess.start(env);
      try {
        const v = new SseViewer(CONSOLE_URL);
        await v.next(allOk, 60_000).finally(() => v.close());
        await sleep(3000); // the first audit and keyspace pass are start-up, not steady state
        const backToBack = await snapshotLatency(50, requests, null);
        const server = await bareServer(barePort);
        const bare = await snapshotLatency(50, requests, null, server.url).finally(() => server.close());
        const paced = await snapshotLatency(50, Math.min(requests, 3000), pacedMs);
        const ratioToBare = round(backToBack.perSec / bare.perSec, 3);
        modes.push({ store, backToBack, bare, paced, ratioToBare });
        log(`  store ${store}: ${backToBack.perSec}/s back to back, bare ${bare.perSec}/s (${ratioToBare}), paced p99 ${paced.p99Ms} ms`);
      } finally {
        await proc.stop();
      }
    }
    const writes = [timeWrites(pgliteDir), timeWrites(pg.url)];
    for (const w of writes) log(`  a record's write on ${w.engine}: p50 ${w.p50Ms} ms, p99 ${w.p99Ms} ms (${w.writes} one after another)`);
    return { modes, writes };
  } finally {
    pg.destroy();
    fs.rmSync(pgliteDir, { recursive: true, force: true });
  }
}

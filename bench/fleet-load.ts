/**
 * The console watching a fleet (issue 32): N bench-made Sentinel deployments (fleet-redis.ts) in
 * one console config, one fleet viewer on /api/fleet/stream. Measured: the console's CPU (% of
 * one core) and RSS over a window, and, for the deployment in the middle of the list, kill -9 of
 * its master → the first pushed snapshot on its own stream (`/api/stream?deployment=`) that shows
 * it down, and → the first fleet frame that shows it. The master is restarted after each run.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { FleetPayload, FleetRow } from "../lib/fleet/fleet-row";
import { SseFrameReader } from "../lib/sse/frames";
import { ConsoleProcess } from "./console-process";
import { CONSOLE_URL, ROOT } from "./env";
import { startFleetRedis, type FleetDeployment } from "./fleet-redis";
import { SseViewer } from "./sse-viewer";
import { median, percentile, round, sleep } from "./stats";

export interface FleetLoad {
  deployments: number;
  /** Redis processes watched: a master and a replica per deployment, plus the shared sentinels. */
  processes: number;
  cpuPercent: number;
  rssMb: number;
  /** The deployment whose master is killed: the middle of the list. */
  victim: string;
  /** kill -9 → its own stream shows the master down, per run (null: not seen in time). */
  killToStreamS: (number | null)[];
  killToStreamP95S: number | null;
  killToStreamMedianS: number | null;
  /** kill -9 → the fleet stream shows its master down. */
  killToFleetP95S: number | null;
  killToFleetMedianS: number | null;
}

/** The fleet stream, with every frame timestamped on arrival. */
class FleetViewer {
  private readonly controller = new AbortController();
  private waiters = new Set<(f: FleetPayload, at: number) => void>();

  constructor(url: string) {
    void (async () => {
      try {
        const res = await fetch(`${url}/api/fleet/stream`, { signal: this.controller.signal });
        const reader = new SseFrameReader();
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          const at = Date.now();
          for (const e of reader.push(chunk)) if (e.event === "fleet") for (const w of [...this.waiters]) w(JSON.parse(e.data) as FleetPayload, at);
        }
      } catch {
        /* closed */
      }
    })();
  }

  /** The first frame after this call where `test` holds for the row named `name`, and when it came. */
  next(name: string, test: (r: FleetRow) => boolean, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const waiter = (f: FleetPayload, at: number) => {
        const row = f.rows.find((r) => r.name === name);
        if (!row || !test(row)) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(at);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`the fleet stream did not show ${name} as expected within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  close(): void {
    this.controller.abort();
  }
}

function consoleConfig(deployments: FleetDeployment[], sentinels: { id: string; port: number }[]): unknown {
  return {
    deployments: deployments.map((d) => ({
      deployment: d.name,
      source: "external",
      redis: {
        masterName: d.masterName,
        nodes: [d.master, d.replica].map((n) => ({ id: n.id, host: "127.0.0.1", port: n.port })),
        sentinels: sentinels.map((s) => ({ id: s.id, host: "127.0.0.1", port: s.port })),
        password: { from: "env", name: "BENCH_FLEET_PASSWORD" },
      },
      layers: [],
    })),
  };
}

/** Until every deployment's row says its master and replica answer. */
async function fleetSettled(url: string, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    try {
      const f = (await (await fetch(`${url}/api/fleet`, { signal: AbortSignal.timeout(5000) })).json()) as FleetPayload;
      const ok = f.rows.filter((r) => r.redis.masterUp && r.redis.nodesDown === 0).length;
      if (f.rows.length === count && ok === count) return;
      last = `${ok} of ${f.rows.length} rows with their master and replica up`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(500);
  }
  throw new Error(`the fleet did not settle within ${timeoutMs / 1000} s (${last})`);
}

export async function fleetLoad(count: number, basePort: number, windowSeconds: number, runs: number, log: (s: string) => void): Promise<FleetLoad> {
  const dir = path.join(ROOT, `.bench-fleet-${count}`);
  const password = crypto.randomBytes(16).toString("hex");
  const fleet = await startFleetRedis(count, basePort, dir, password);
  const config = path.join(ROOT, `.bench-fleet-${count}.json`);
  fs.writeFileSync(config, JSON.stringify(consoleConfig(fleet.deployments, fleet.sentinels)));
  let consoleProc: ConsoleProcess | null = null;
  let fleetViewer: FleetViewer | null = null;
  let viewer: SseViewer | null = null;
  try {
    const startedAt = Date.now();
    // A hundred collectors' first looks land in the server's first seconds: give it longer than the one-deployment console.
    consoleProc = await ConsoleProcess.start({ CONSOLE_CONFIG: config, BENCH_FLEET_PASSWORD: password }, 180_000);
    log(`  ${count} deployments: the console answers /api/health after ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    fleetViewer = new FleetViewer(CONSOLE_URL);
    await fleetSettled(CONSOLE_URL, count, 120_000);
    await sleep(5000); // the first config audits and keyspace passes are start-up, not steady state
    const cpu0 = consoleProc.cpuSeconds();
    const t0 = Date.now();
    await sleep(windowSeconds * 1000);
    const cpuPercent = round(((consoleProc.cpuSeconds() - cpu0) / ((Date.now() - t0) / 1000)) * 100, 1)!;
    const rssMb = round(consoleProc.rssMb(), 0)!;
    log(`  ${count} deployments: console CPU ${cpuPercent}% of a core, RSS ${rssMb} MB`);

    const victim = fleet.deployments[Math.floor(count / 2)];
    viewer = new SseViewer(CONSOLE_URL, true, `/api/stream?deployment=${encodeURIComponent(victim.name)}`);
    const stream: (number | null)[] = [];
    const fleetSeen: number[] = [];
    for (let i = 0; i < runs; i++) {
      // A random phase against the 1 s tick, so runs do not all land at the same point of it.
      await sleep(500 + Math.random() * 1000);
      const seen = viewer.next((s) => s.redis.nodes.some((n) => n.id === victim.master.id && !n.up), 15_000);
      const inFleet = fleetViewer.next(victim.name, (r) => r.redis.masterUp === false, 15_000);
      seen.catch(() => {});
      inFleet.catch(() => {});
      const killedAt = Date.now();
      fleet.killMaster(victim);
      const at = await seen.then((x) => x.at).catch(() => null);
      const fleetAt = await inFleet.catch(() => null);
      stream.push(at === null ? null : round((at - killedAt) / 1000, 3));
      if (fleetAt !== null) fleetSeen.push(round((fleetAt - killedAt) / 1000, 3)!);
      log(
        `  kill ${victim.name} #${i + 1}: its stream ${at === null ? "—" : `${((at - killedAt) / 1000).toFixed(2)} s`}, fleet stream ${fleetAt === null ? "—" : `${((fleetAt - killedAt) / 1000).toFixed(2)} s`}`,
      );
      fleet.restartMaster(victim);
      await fleetViewer.next(victim.name, (r) => r.redis.masterUp === true && r.redis.nodesDown === 0, 30_000);
    }
    const seenS = stream.filter((s): s is number => s !== null);
    return {
      deployments: count,
      processes: count * 2 + fleet.sentinels.length,
      cpuPercent,
      rssMb,
      victim: victim.name,
      killToStreamS: stream,
      killToStreamP95S: round(percentile(seenS, 95), 2),
      killToStreamMedianS: round(median(seenS), 2),
      killToFleetP95S: round(percentile(fleetSeen, 95), 2),
      killToFleetMedianS: round(median(fleetSeen), 2),
    };
  } finally {
    viewer?.close();
    fleetViewer?.close();
    await consoleProc?.stop();
    await fleet.stop();
    fs.rmSync(config, { force: true });
  }
}

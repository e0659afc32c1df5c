/**
 * Debian's prometheus-redis-exporter scraping the master: Redis commands per scrape, counted by
 * Redis itself. The password goes in through the environment (REDIS_PASSWORD), never argv or
 * output; the exporter listens on loopback only.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import type { StackState } from "../devstack/state";
import { diff, readAll, type Target } from "./commandstats";
import { EXPORTER_PORT } from "./env";
import { round, sleep } from "./stats";
import type { Background } from "./viewer-load";

const BINARY = "prometheus-redis-exporter";

export interface ExporterResult {
  available: boolean;
  reason?: string;
  scrapes?: number;
  commandsPerScrape?: number;
  byCommand?: Record<string, number>;
  scrapeMsMedian?: number;
}

export async function exporterPerScrape(
  state: StackState,
  targets: Target[],
  bg: Background,
  master: { name: string; port: number },
  scrapes = 10,
): Promise<ExporterResult> {
  if (spawnSync("sh", ["-c", `command -v ${BINARY}`]).status !== 0) {
    return { available: false, reason: `${BINARY} not installed (apt-get install -y ${BINARY})` };
  }
  const url = `http://127.0.0.1:${EXPORTER_PORT}`;
  const child: ChildProcess = spawn(BINARY, ["-web.listen-address", `127.0.0.1:${EXPORTER_PORT}`, "-redis.addr", `redis://127.0.0.1:${master.port}`], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", REDIS_PASSWORD: state.password, NODE_ENV: "production" } as NodeJS.ProcessEnv,
    stdio: "ignore",
  });
  try {
    const deadline = Date.now() + 10_000;
    // "/" is a static page: it answers without touching Redis.
    while (
      !(await fetch(url + "/", { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (Date.now() > deadline || child.exitCode !== null) return { available: false, reason: "the exporter did not start listening" };
      await sleep(100);
    }
    const masterTarget = targets.filter((t) => t.name === master.name);
    const before = await readAll(masterTarget);
    const times: number[] = [];
    for (let i = 0; i < scrapes; i++) {
      const t0 = performance.now();
      const res = await fetch(url + "/metrics", { signal: AbortSignal.timeout(10_000) });
      const text = await res.text();
      times.push(performance.now() - t0);
      if (!res.ok || !/^redis_up 1$/m.test(text)) return { available: false, reason: `scrape ${i + 1} did not reach Redis (HTTP ${res.status})` };
    }
    const load = diff(before, await readAll(masterTarget));
    const background = (bg.perSec[master.name] ?? 0) * load.seconds;
    times.sort((a, b) => a - b);
    return {
      available: true,
      scrapes,
      commandsPerScrape: round((load.total - background) / scrapes, 1)!,
      byCommand: Object.fromEntries(Object.entries(load.byCommand).map(([k, v]) => [k, round(v / scrapes, 1)!])),
      scrapeMsMedian: round(times[Math.floor(times.length / 2)], 1)!,
    };
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(3000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }
}

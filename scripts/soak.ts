/**
 * `npm run soak`: a bounded run (SOAK_MINUTES, default 3) of the built console against its own
 * devstack while Redis flaps (master restarted, proxy cut, master frozen, a sentinel killed).
 * Reports console RSS, event-loop lag and /api/snapshot latency over time; writes bench/soak.json.
 * The traffic workload (SOAK_RPS, default 100) runs throughout, and every "not answering" the
 * timeline shows for a node outside a freeze's window is counted as a false "down".
 * Exits 1 when a request failed, RSS kept growing (a leak) or a node was falsely called down.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { stackDown, stackUp } from "../devstack/lifecycle";
import { resolveSettings } from "../devstack/settings";
import { ControlClient } from "../lib/contract/control-client";

const root = path.resolve(import.meta.dirname, "..");
const minutes = Math.min(30, Math.max(1, Number(process.env.SOAK_MINUTES ?? 3)));
const port = Number(process.env.SOAK_PORT ?? 3299);
const settings = resolveSettings(["--base-port", "17600", "--dir", ".devstack-soak", "--down-after-milliseconds", "3000"], {} as NodeJS.ProcessEnv, root);
const url = `http://127.0.0.1:${port}`;
const RPS = Math.min(200, Math.max(4, Number(process.env.SOAK_RPS ?? 100)));
const FREEZE_WINDOW_MS = 4000;

interface Sample {
  t: number;
  rssMb: number;
  lagMs: number | null;
  snapshotMs: number | null;
  healthMs: number | null;
  failed: string | null;
}

const timed = async (route: string) => {
  const t0 = performance.now();
  const res = await fetch(url + route, { signal: AbortSignal.timeout(3000) });
  const body = await res.json();
  if (!res.ok) throw new Error(`${route} ${res.status}`);
  return { ms: performance.now() - t0, body };
};
const rss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] : null);

const FLAPS: [string, (c: ControlClient) => Promise<unknown>][] = [
  ["restart master", (c) => c.restartNode("redis-a")],
  ["cut proxy 5 s", (c) => c.proxyCut({ ttlSeconds: 5 })],
  ["freeze master 2 s", (c) => c.freezeNode("redis-a", 2)],
  ["kill sentinel-2 for 5 s", (c) => c.killNode("sentinel-2", 5)],
];

async function main(): Promise<number> {
  const dist = process.env.NEXT_DIST_DIR || ".next";
  if (!fs.existsSync(path.join(root, dist, "BUILD_ID"))) throw new Error("no production build: run `npx next build` first");
  await stackDown(settings.dir);
  const state = await stackUp(settings);
  const control = ControlClient.forState(state);
  const server = spawn(process.execPath, [path.join(root, "scripts/serve.mjs"), "-H", "127.0.0.1", "-p", String(port)], {
    cwd: root,
    env: { ...process.env, DEVSTACK_DIR: settings.dir, CONSOLE_DATA_DIR: ".console-data-soak" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  server.stdout.on("data", (d) => (log += d));
  server.stderr.on("data", (d) => (log += d));
  const samples: Sample[] = [];
  const freezes: number[] = [];
  let falseDowns = 0;
  let freezesSeen = 0;
  try {
    for (let i = 0; i < 200; i++) {
      if (
        await timed("/api/health").then(
          () => true,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 250));
    }
    await control.startTraffic(RPS);
    const start = Date.now();
    const end = start + minutes * 60_000;
    let nextFlap = start + 10_000;
    let flap = 0;
    console.log(`soak: ${minutes} min against ${url}, flapping Redis every 15 s`);
    while (Date.now() < end) {
      if (Date.now() >= nextFlap) {
        const [name, act] = FLAPS[flap++ % FLAPS.length];
        console.log(`  ${((Date.now() - start) / 1000).toFixed(0)} s: ${name}`);
        if (name.startsWith("freeze")) freezes.push(Date.now());
        void act(control).catch((e) => console.log(`  flap failed: ${(e as Error).message}`));
        nextFlap = Date.now() + 15_000;
      }
      const sample: Sample = { t: Date.now() - start, rssMb: rss(server.pid!), lagMs: null, snapshotMs: null, healthMs: null, failed: null };
      try {
        const snap = await timed("/api/snapshot");
        sample.snapshotMs = snap.ms;
        sample.lagMs = snap.body.tick?.eventLoopLagMs ?? null;
        sample.healthMs = (await timed("/api/health")).ms;
      } catch (err) {
        sample.failed = (err as Error).message;
      }
      samples.push(sample);
      await new Promise((r) => setTimeout(r, 1000));
    }
    // A node called silent ("no answer within …") when no freeze was on (a 2 s freeze, seen up to ~1 s late, cleared ~1 s after).
    const timeline = (await timed("/api/timeline")).body as { events: { at: string; kind: string; title: string; detail?: string }[] };
    const silent = timeline.events.filter((e) => e.kind === "redis" && / down$/.test(e.title) && /no answer within/.test(e.detail ?? ""));
    const inFreeze = (e: { at: string }) => freezes.some((f) => Date.parse(e.at) >= f - 500 && Date.parse(e.at) <= f + FREEZE_WINDOW_MS);
    falseDowns = silent.filter((e) => !inFreeze(e)).length;
    // The other side: each freeze should have been seen (the check is not vacuous).
    freezesSeen = freezes.filter((f) => silent.some((e) => Date.parse(e.at) >= f - 500 && Date.parse(e.at) <= f + FREEZE_WINDOW_MS)).length;
  } finally {
    await control.stopTraffic().catch(() => {});
    await control.reset().catch(() => {});
    server.kill("SIGTERM");
    await stackDown(settings.dir);
    fs.rmSync(path.join(root, ".console-data-soak"), { recursive: true, force: true });
  }
  const buckets = new Map<number, Sample[]>();
  for (const s of samples) buckets.set(Math.floor(s.t / 30_000), [...(buckets.get(Math.floor(s.t / 30_000)) ?? []), s]);
  console.log("\n  window   rss MB   lag p99 ms   snapshot p50/p99 ms   failures");
  for (const [b, xs] of buckets) {
    const snaps = xs.map((x) => x.snapshotMs).filter((x): x is number => x !== null);
    const lags = xs.map((x) => x.lagMs).filter((x): x is number => x !== null);
    console.log(
      `  ${String(b * 30).padStart(4)} s  ${Math.max(...xs.map((x) => x.rssMb))
        .toFixed(0)
        .padStart(
          6,
        )}   ${(pct(lags, 99) ?? 0).toFixed(1).padStart(10)}   ${(pct(snaps, 50) ?? 0).toFixed(1).padStart(8)} / ${(pct(snaps, 99) ?? 0).toFixed(1).padEnd(8)}   ${xs.filter((x) => x.failed).length}`,
    );
  }
  const firstMin = samples.filter((s) => s.t < 60_000).map((s) => s.rssMb);
  const lastMin = samples.filter((s) => s.t > (minutes - 1) * 60_000).map((s) => s.rssMb);
  const growth = Math.max(...lastMin) - Math.max(...firstMin);
  const failures = samples.filter((s) => s.failed);
  const crashed = /unhandledRejection|uncaughtException/i.test(log);
  fs.mkdirSync(path.join(root, "bench"), { recursive: true });
  fs.writeFileSync(
    path.join(root, "bench", "soak.json"),
    JSON.stringify(
      { minutes, rps: RPS, rssGrowthMb: growth, failures: failures.length, falseDowns, freezes: freezes.length, freezesSeen, crashed, samples },
      null,
      1,
    ),
  );
  console.log(
    `\nRSS growth first→last minute: ${growth.toFixed(1)} MB · failed requests: ${failures.length} · freezes seen ${freezesSeen}/${freezes.length} · false "down" (no answer outside a freeze) under ${RPS} req/s: ${falseDowns} · crash in log: ${crashed}`,
  );
  return failures.length || crashed || growth > 50 || falseDowns > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`soak: ${(err as Error).message}`);
    process.exit(2);
  },
);

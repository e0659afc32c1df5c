/**
 * `npm run bench`: side-by-side measurements of the built console against its own devstack
 * (base port 17700, .devstack-bench) on loopback: failure detection, +switch-master to screen,
 * Redis load per viewer count (against naive pollers and redis_exporter), RSS/CPU, snapshot
 * latency, first-load JS and first data in Chromium. Starts and stops everything itself, resets
 * every fault even on failure, prints a table and writes bench/results.json. A few minutes.
 * A subset: `npm run bench -- fleet` (or BENCH_ONLY=fleet), any of
 * load,latency,pages,browser,detection,switch,tls,cluster,fleet,store; the sandbox starts only for a section that uses it.
 */
import fs from "node:fs";
import path from "node:path";
import { stackDown, stackUp } from "../devstack/lifecycle";
import type { StackState } from "../devstack/state";
import { timeToFirstData } from "./browser";
import { closeTargets, openTargets, type Target } from "./commandstats";
import { ConsoleProcess } from "./console-process";
import { controlClient, masterNode, type Control } from "./control";
import { detectionRuns } from "./detection";
import { CONSOLE_URL, DIST_DIR, ensureBuild, machine, PORT_SHIFT, ROOT, STACK_SETTINGS } from "./env";
import { exporterPerScrape } from "./exporter";
import { fleetLoad, type FleetLoad } from "./fleet-load";
import { firstLoadJs } from "./first-load";
import { goalTable } from "./report";
import { goals, headline, type Measured } from "./results";
import { bareServer, snapshotLatency } from "./snapshot-latency";
import { clusterLoad, type ClusterLoad } from "./cluster-load";
import { storeCost, type StoreCost } from "./store-cost";
import { allOk, SseViewer } from "./sse-viewer";
import { sleep } from "./stats";
import { switchMasterRuns } from "./switch-master";
import { tlsRedisLoad, type TlsLoadMode } from "./tls-load";
import { consoleWindow, measureBackground, naiveWindow } from "./viewer-load";

const WINDOW_SECONDS = Math.max(10, Number(process.env.BENCH_WINDOW_SECONDS ?? 30));
// Ten of each: with 20 runs the p95 is the 19th, not simply the slowest one.
const RUNS = Math.max(5, Number(process.env.BENCH_RUNS ?? 10));
/** Paced polling: 50 clients × 4/s, eight times what 50 browsers polling every 2 s (the UI's fallback) would ask. */
const PACED_MS = 250;
/** The bare node:http server serving the same snapshot bytes (the machine's limit), beside the console's port. */
const BARE_PORT = Number(process.env.BENCH_BARE_PORT ?? 3398 + PORT_SHIFT);
const BACK_TO_BACK_REQUESTS = 20_000;
/** Per store mode (three consoles in turn): fewer, the section's CPU is the machine's too. */
const STORE_REQUESTS = Math.max(2000, Number(process.env.BENCH_STORE_REQUESTS ?? 10_000));
const SWITCH_RUNS = Math.max(1, Number(process.env.BENCH_SWITCH_RUNS ?? 3));
/** Fleets of bench-made Sentinel deployments (issue 32): 30 and 100, 3 sentinels monitoring every master. */
const FLEET_SIZES = (process.env.BENCH_FLEET_SIZES ?? "30,100").split(",").map(Number);
/** The fleet's 2 × 100 nodes and 3 sentinels (BENCH_FLEET_BASE_PORT moves them). */
const FLEET_BASE_PORT = Number(process.env.BENCH_FLEET_BASE_PORT ?? 17800 + PORT_SHIFT);
const FLEET_KILLS = Math.max(5, Number(process.env.BENCH_FLEET_KILLS ?? 10));
const SECTIONS = [...(process.env.BENCH_ONLY?.split(",") ?? []), ...process.argv.slice(2)].filter(Boolean);
const ONLY = SECTIONS.length ? new Set(SECTIONS) : null;
const wants = (s: string) => !ONLY || ONLY.has(s);
/** The sections measured on the bench's own sandbox and console. */
const ON_SANDBOX = ["load", "latency", "pages", "browser", "detection", "switch", "store"];
/** The store section's result (it runs last, on the sandbox, with consoles of its own). */
let store: StoreCost | null = null;
const started = Date.now();
const log = (s: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${s}`);

const errors: Record<string, string> = {};
async function section<T>(name: string, fn: () => Promise<T>): Promise<T | null> {
  if (!wants(name)) return null;
  try {
    return await fn();
  } catch (err) {
    errors[name] = (err as Error).message;
    log(`${name} FAILED: ${errors[name]}`);
    return null;
  }
}

let state: StackState | null = null;
let control: Control | null = null;
let consoleProc: ConsoleProcess | null = null;
let targets: Target[] = [];
const viewers: SseViewer[] = [];
let cleaned: Promise<void> | null = null;

/** Undo every fault and stop all the bench started; safe to call twice (signal + finally). */
function cleanup(): Promise<void> {
  cleaned ??= (async () => {
    for (const v of viewers) v.close();
    if (control) await control("POST", "/reset").catch((e) => log(`reset failed: ${(e as Error).message}`));
    closeTargets(targets);
    await consoleProc?.stop().catch(() => {});
    await stackDown(STACK_SETTINGS.dir).catch(() => {});
  })();
  return cleaned;
}

for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.once(sig, () => {
    log(`${sig}: restoring and stopping everything…`);
    void cleanup().finally(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  const m: Measured = { detection: [], switches: [], consoleWindows: [], naiveWindows: [], exporter: null, latency: [], pages: [], browser: null };
  const host = machine();
  log(`machine: ${host.cpus} cores (${host.cpuModel}), ${host.memTotalGb} GB, load ${host.loadAvg1m}; build ${DIST_DIR}`);
  ensureBuild(log);
  // The console's Redis CPU per node, TLS + ACL sandbox next to the plain one: own sandboxes, before the main one starts.
  if (wants("tls")) log("console's Redis CPU, plain vs TLS + ACL sandbox…");
  const tls: TlsLoadMode[] | null = await section("tls", () => tlsRedisLoad(WINDOW_SECONDS, log));
  // The console's Redis load per node on a cluster of 1 and of 3 shards: its own clusters, before the main sandbox starts.
  if (wants("cluster")) log("console's Redis load per node on a cluster of 1 and 3 shards…");
  const clusters: ClusterLoad[] = [];
  for (const shards of [1, 3]) {
    const c = await section("cluster", () => clusterLoad(shards, WINDOW_SECONDS, log));
    if (c) clusters.push(c);
  }
  // The console watching 30 and 100 deployments: its own Redis processes and console, before the main sandbox starts.
  const fleets: FleetLoad[] = [];
  for (const count of FLEET_SIZES) {
    if (wants("fleet")) log(`the console watching ${count} Sentinel deployments (${FLEET_KILLS} kills of the middle one's master)…`);
    const f = await section("fleet", () => fleetLoad(count, FLEET_BASE_PORT, WINDOW_SECONDS, FLEET_KILLS, log));
    if (f) fleets.push(f);
  }
  if (ON_SANDBOX.some(wants)) await onSandbox(m);
  const { h, results } = report(m, host, tls, clusters, fleets);
  fs.writeFileSync(path.join(ROOT, "bench", "results.json"), JSON.stringify(results, null, 1) + "\n");
  console.log(`\n${goalTable(goals(h))}\n\nbench/results.json written (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return Object.keys(errors).length ? 1 : 0;
}

/** The sections measured against the bench's own sandbox and console. */
async function onSandbox(m: Measured): Promise<void> {
  await stackDown(STACK_SETTINGS.dir);
  log(`starting the bench devstack on ${STACK_SETTINGS.basePort}…`);
  state = await stackUp(STACK_SETTINGS, 90_000);
  control = controlClient(state);
  const ctl = control;
  const st = state;
  try {
    targets = await openTargets(st);
    if (wants("load")) {
      log(`Redis background with the console stopped (${WINDOW_SECONDS} s)…`);
      const bg = await measureBackground(targets, WINDOW_SECONDS);
      for (const n of [1, 10, 100]) {
        const w = await section("load", () => naiveWindow(st, targets, bg, n, 15));
        if (w) m.naiveWindows.push(w);
        log(`  naive pollers, ${n} viewers: ${w?.commandsPerSec ?? "?"} commands/s`);
      }
      m.exporter = await section("load", async () => exporterPerScrape(st, targets, bg, await masterNode(ctl)));
      log(`  redis_exporter: ${m.exporter?.available ? `${m.exporter.commandsPerScrape} commands per scrape` : (m.exporter?.reason ?? "failed")}`);
      consoleProc = await ConsoleProcess.start();
      await section("load", async () => {
        const v = new SseViewer(CONSOLE_URL);
        await v.next(allOk, 60_000).finally(() => v.close());
        await sleep(5000); // the first config audit and keyspace pass are start-up, not steady state
        for (const n of [0, 1, 10, 100]) {
          const w = await consoleWindow(targets, bg, consoleProc!, n, WINDOW_SECONDS);
          m.consoleWindows.push(w);
          log(`  console, ${n} viewers: ${w.commandsPerSec} commands/s, CPU ${w.cpuPercent}%, RSS ${w.rssMb} MB`);
        }
      });
    }
    consoleProc ??= await ConsoleProcess.start();
    const viewer = new SseViewer(CONSOLE_URL);
    viewers.push(viewer);
    await viewer.next(allOk, 60_000);
    m.latency =
      (await section("latency", async () => {
        const bare = await bareServer(BARE_PORT);
        try {
          // 20 000 back to back: a few seconds each, so JIT warm-up and a stray GC are not the figure.
          return [
            await snapshotLatency(50, BACK_TO_BACK_REQUESTS, null),
            await snapshotLatency(50, BACK_TO_BACK_REQUESTS, null, bare.url),
            await snapshotLatency(50, 3000, PACED_MS),
          ];
        } finally {
          await bare.close();
        }
      })) ?? [];
    for (const l of m.latency)
      log(
        `/api/snapshot, 50 clients ${l.mode}: p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms, ${l.perSec}/s, ${l.failures} failures${l.firstFailure ? ` (first: ${l.firstFailure})` : ""}`,
      );
    m.pages = (await section("pages", () => firstLoadJs())) ?? [];
    for (const p of m.pages)
      log(`  ${p.path.padEnd(10)} ${p.gzipKb} kB gzip (${p.scripts} scripts, HTTP ${p.status}; + ${p.legacyKb} kB noModule polyfills a modern browser skips)`);
    m.browser = await section("browser", () => timeToFirstData(5));
    if (m.browser)
      log(
        `first data on screen: ${m.browser.firstDataMs.join(", ")} ms painted, seen by a poll on the page at ${m.browser.polledMs.join(", ")} ms (HTML first byte ${m.browser.htmlFirstByteMs.join(", ")} ms; ` +
          `DOMContentLoaded ${m.browser.domContentLoadedMs.join(", ")} ms; L1's status in the server's HTML in ${m.browser.statusInHtml} of ${m.browser.runs})`,
      );
    if (wants("detection")) log(`detection: ${RUNS} freezes and ${RUNS} kills of the master…`);
    for (const kind of ["freeze", "kill"] as const)
      m.detection.push(...((await section("detection", () => detectionRuns(kind, RUNS, ctl, viewer, log))) ?? []));
    if (wants("switch")) log(`+switch-master to screen: ${SWITCH_RUNS} failovers…`);
    m.switches = (await section("switch", () => switchMasterRuns(st, SWITCH_RUNS, ctl, viewer, log))) ?? [];
    if (wants("store")) {
      // Last: each store gets a console of its own on the bench port.
      log("the store's cost: the snapshot with no store, PGlite and PostgreSQL; a record's write on each engine…");
      viewer.close();
      await consoleProc.stop();
      consoleProc = null;
      store = await section("store", () => storeCost(BARE_PORT, STORE_REQUESTS, PACED_MS, log));
    }
  } catch (err) {
    errors.run = (err as Error).message;
    log(`FAILED: ${errors.run}${consoleProc ? `\n${consoleProc.tail()}` : ""}`);
  } finally {
    log("restoring the stack and stopping everything…");
    await cleanup();
  }
}

function report(m: Measured, host: ReturnType<typeof machine>, tls: TlsLoadMode[] | null, clusters: ClusterLoad[], fleets: FleetLoad[]) {
  const perNode = (n: number) => clusters.find((c) => c.shards === n)?.perNodeMean ?? null;
  const fleet = (n: number) => fleets.find((f) => f.deployments === n) ?? null;
  const h: Record<string, number | null> = {
    ...headline(m),
    cluster_commands_per_s_per_node_1_shard: perNode(1),
    cluster_commands_per_s_per_node_3_shards: perNode(3),
    cluster_per_node_ratio_3_to_1: perNode(1) && perNode(3) ? Math.round((perNode(3)! / perNode(1)!) * 100) / 100 : null,
    ...storeHeadline(store),
  };
  for (const n of FLEET_SIZES) {
    h[`fleet_${n}_cpu_percent`] = fleet(n)?.cpuPercent ?? null;
    h[`fleet_${n}_rss_mb`] = fleet(n)?.rssMb ?? null;
    h[`fleet_${n}_kill_stream_p95_s`] = fleet(n)?.killToStreamP95S ?? null;
    h[`fleet_${n}_kill_fleet_stream_p95_s`] = fleet(n)?.killToFleetP95S ?? null;
  }
  const results = {
    measuredAt: new Date().toISOString(),
    machine: host,
    loadAfter: machine().loadAvg1m,
    windowSeconds: WINDOW_SECONDS,
    ...h,
    tlsRedisLoad: tls,
    clusterLoad: clusters,
    fleetLoad: fleets,
    storeCost: store,
    errors,
    details: m,
  };
  return { h, results };
}

/** The store's cost as flat keys: per mode the throughput ratio to bare and the paced p99; per engine a write's p99. */
function storeHeadline(s: StoreCost | null): Record<string, number | null> {
  const key = (store: string) => (store.startsWith("none") ? "none" : store);
  return Object.fromEntries([
    ...(s?.modes ?? []).flatMap((m) => [
      [`store_${key(m.store)}_snapshot_throughput_ratio`, m.ratioToBare],
      [`store_${key(m.store)}_snapshot_paced_p99_ms`, m.paced.p99Ms],
    ]),
    ...(s?.writes ?? []).map((w) => [`store_${w.engine}_write_p99_ms`, w.p99Ms]),
  ]);
}

main().then(
  (code) => process.exit(code),
  async (err) => {
    console.error(`bench: ${(err as Error).message}`);
    await cleanup();
    process.exit(2);
  },
);

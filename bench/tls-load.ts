/**
 * What the console costs Redis on the TLS + ACL sandbox next to the plain one: the CPU of each
 * redis-server process (from /proc, user + system) with the console watching, minus the
 * sandbox's own background measured with the console stopped, and the new connections Redis
 * accepted meanwhile (total_connections_received): the console reuses its connections, so TLS
 * must cost no handshake per tick. Each mode gets its own sandbox (base port 17740,
 * .devstack-bench-tls) and console (port 3400), started and stopped here. BENCH_ONLY=tls.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Redis from "ioredis";
import { stackDown, stackUp } from "../devstack/lifecycle";
import { redisAuthOptions } from "../devstack/redis-auth";
import { resolveSettings } from "../devstack/settings";
import { stateAuth, type StackState } from "../lib/contract/devstack-state";
import { DIST_DIR, PORT_SHIFT, ROOT } from "./env";
import { round, sleep } from "./stats";

const BASE_PORT = 17740 + PORT_SHIFT;
const PORT = 3400;
const CLK_TCK = 100;

export interface TlsLoadNode {
  node: string;
  /** The console's share of this redis-server's CPU, percent of one core. */
  consoleCpuPercent: number;
  backgroundCpuPercent: number;
  /** Connections Redis accepted per minute while the console watched (background taken out). */
  newConnectionsPerMin: number;
}
export interface TlsLoadMode {
  mode: "plain" | "tls+acl";
  seconds: number;
  nodes: TlsLoadNode[];
  /** The console's collector tick as it reports it: median duration, ms. */
  tickMedianMs: number | null;
}

function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

interface Reading {
  at: number;
  cpu: Record<string, number>;
  conns: Record<string, number>;
}

async function read(state: StackState, clients: Map<string, Redis>): Promise<Reading> {
  const conns: Record<string, number> = {};
  for (const [name, r] of clients) conns[name] = Number(/total_connections_received:(\d+)/.exec(await r.info("stats"))?.[1] ?? NaN);
  return { at: Date.now(), cpu: Object.fromEntries(state.nodes.map((n) => [n.name, cpuSeconds(n.pid!)])), conns };
}

/** Per node: CPU percent and new connections per minute between two readings. */
function rates(a: Reading, b: Reading): Record<string, { cpu: number; conns: number }> {
  const s = (b.at - a.at) / 1000;
  return Object.fromEntries(Object.keys(b.cpu).map((n) => [n, { cpu: ((b.cpu[n] - a.cpu[n]) / s) * 100, conns: ((b.conns[n] - a.conns[n]) / s) * 60 }]));
}

async function startConsole(dir: string): Promise<{ stop(): Promise<void>; url: string }> {
  const dataDir = path.join(ROOT, ".console-data-bench-tls");
  fs.rmSync(dataDir, { recursive: true, force: true });
  const child = spawn(process.execPath, [path.join(ROOT, "scripts/serve.mjs"), "-H", "127.0.0.1", "-p", String(PORT)], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, NODE_ENV: "production", NEXT_DIST_DIR: DIST_DIR, DEVSTACK_DIR: dir, CONSOLE_DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "ignore",
  });
  const url = `http://127.0.0.1:${PORT}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      process.kill(-child.pid!, "SIGTERM");
      const t = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 5000);
      await exited;
      clearTimeout(t);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`console exited (${child.exitCode})`);
    if (
      await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { stop, url };
    await sleep(200);
  }
  await stop();
  throw new Error("console did not answer /api/health within 60 s");
}

/** Both nodes up and every layer ok in the console's snapshot. */
async function watching(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const s = await fetch(`${url}/api/snapshot`, { signal: AbortSignal.timeout(3000) }).then(
      (r) => r.json(),
      () => null,
    );
    if (s?.redis?.nodes?.length === 2 && s.redis.nodes.every((n: { up: boolean }) => n.up) && s.layers?.every((l: { status: string }) => l.status === "ok"))
      return;
    await sleep(500);
  }
  throw new Error("the console never showed both nodes up and every layer ok");
}

async function measureMode(mode: TlsLoadMode["mode"], seconds: number, log: (s: string) => void): Promise<TlsLoadMode> {
  const settings = resolveSettings(
    ["--base-port", String(BASE_PORT), "--dir", ".devstack-bench-tls", ...(mode === "plain" ? [] : ["--tls", "--acl"])],
    {} as NodeJS.ProcessEnv,
    ROOT,
  );
  await stackDown(settings.dir);
  const state = await stackUp(settings, 90_000);
  const clients = new Map<string, Redis>();
  let app: Awaited<ReturnType<typeof startConsole>> | null = null;
  try {
    // Persistent reading connections, opened before any window (each INFO then costs no connect).
    for (const n of state.nodes) {
      const r = new Redis({
        host: "127.0.0.1",
        port: n.port,
        ...redisAuthOptions(stateAuth(state).devstack),
        connectTimeout: 2000,
        commandTimeout: 2000,
        maxRetriesPerRequest: 0,
        enableOfflineQueue: true,
        retryStrategy: () => 500,
      });
      r.on("error", () => {});
      clients.set(n.name, r);
    }
    await sleep(3000);
    log(`  ${mode}: background, console stopped (${seconds} s)…`);
    const bg = rates(await read(state, clients), (await sleep(seconds * 1000), await read(state, clients)));
    app = await startConsole(settings.dir);
    await watching(app.url);
    await sleep(5000); // the first config audit and keyspace pass are start-up, not steady state
    log(`  ${mode}: console watching (${seconds} s)…`);
    const a = await read(state, clients);
    const ticks: number[] = [];
    const until = Date.now() + seconds * 1000;
    while (Date.now() < until) {
      const s = await fetch(`${app.url}/api/snapshot`, { signal: AbortSignal.timeout(3000) }).then(
        (r) => r.json(),
        () => null,
      );
      if (typeof s?.tick?.durationMs === "number") ticks.push(s.tick.durationMs);
      await sleep(2000);
    }
    const w = rates(a, await read(state, clients));
    ticks.sort((x, y) => x - y);
    return {
      mode,
      seconds,
      tickMedianMs: ticks.length ? ticks[Math.floor(ticks.length / 2)] : null,
      nodes: state.nodes.map((n) => ({
        node: n.name,
        consoleCpuPercent: round(w[n.name].cpu - bg[n.name].cpu, 2)!,
        backgroundCpuPercent: round(bg[n.name].cpu, 2)!,
        newConnectionsPerMin: round(w[n.name].conns - bg[n.name].conns, 1)!,
      })),
    };
  } finally {
    for (const r of clients.values()) r.disconnect();
    await app?.stop();
    await stackDown(settings.dir);
  }
}

/** The plain sandbox, then the TLS + ACL one, each with its console. */
export async function tlsRedisLoad(seconds: number, log: (s: string) => void): Promise<TlsLoadMode[]> {
  const out: TlsLoadMode[] = [];
  for (const mode of ["plain", "tls+acl"] as const) {
    const m = await measureMode(mode, seconds, log);
    log(
      `  ${mode}: console's Redis CPU ${m.nodes.map((n) => `${n.node} ${n.consoleCpuPercent}% (background ${n.backgroundCpuPercent}%)`).join(", ")}; new connections ${m.nodes.map((n) => `${n.newConnectionsPerMin}/min`).join(", ")}; tick median ${m.tickMedianMs} ms`,
    );
    out.push(m);
  }
  return out;
}

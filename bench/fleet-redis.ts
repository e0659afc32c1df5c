/**
 * The fleet the bench watches (issue 32): N Sentinel deployments made of real processes, each a
 * master and a replica (redis-server), and three redis-sentinel monitoring all N masters, as a
 * team that shares its sentinels runs them. Sentinel's down-after is 30 s, so a master the bench
 * kills and restarts within seconds never fails over: the bench measures the console, not Sentinel.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Redis from "ioredis";
import { sleep } from "./stats";

const SENTINELS = 3;

export interface FleetDeployment {
  name: string;
  masterName: string;
  master: { id: string; port: number };
  replica: { id: string; port: number };
}

export interface FleetRedis {
  deployments: FleetDeployment[];
  sentinels: { id: string; port: number }[];
  /** kill -9 of a deployment's master. */
  killMaster(d: FleetDeployment): void;
  /** The master again on its port, empty (no persistence): its replica resyncs. */
  restartMaster(d: FleetDeployment): void;
  stop(): Promise<void>;
}

async function until(what: string, fn: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      if (await fn()) return;
    } catch (err) {
      last = err;
    }
    await sleep(200);
  }
  throw new Error(`${what} not reached within ${ms / 1000} s${last ? `: ${(last as Error).message}` : ""}`);
}

/** Masters on base … base+N-1, replicas on base+N …, sentinels after them; resolves once every replica is linked and every sentinel monitors every master. */
export async function startFleetRedis(count: number, basePort: number, dir: string, password: string): Promise<FleetRedis> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const pad = String(count).length;
  const deployments: FleetDeployment[] = Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(pad, "0");
    return { name: `fleet-${n}`, masterName: `fleet-${n}`, master: { id: `m${n}`, port: basePort + i }, replica: { id: `r${n}`, port: basePort + count + i } };
  });
  const sentinels = Array.from({ length: SENTINELS }, (_, k) => ({ id: `s${k + 1}`, port: basePort + 2 * count + k }));
  const procs = new Map<number, ChildProcess>();
  const common = [
    "--bind",
    "127.0.0.1",
    "--dir",
    dir,
    "--save",
    "",
    "--appendonly",
    "no",
    "--requirepass",
    password,
    "--masterauth",
    password,
    "--maxmemory",
    "16mb",
  ];
  const server = (port: number, extra: string[] = []) => {
    procs.set(port, spawn("redis-server", ["--port", String(port), ...common, ...extra], { stdio: "ignore" }));
  };
  const stop = async () => {
    for (const p of procs.values()) p.kill("SIGKILL");
    await sleep(200);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const d of deployments) server(d.master.port);
    for (const d of deployments) server(d.replica.port, ["--replicaof", "127.0.0.1", String(d.master.port)]);
    for (const s of sentinels) {
      const conf = path.join(dir, `sentinel-${s.port}.conf`);
      const lines = [`port ${s.port}`, "bind 127.0.0.1", `dir ${dir}`];
      for (const d of deployments) {
        lines.push(
          `sentinel monitor ${d.masterName} 127.0.0.1 ${d.master.port} 2`,
          `sentinel auth-pass ${d.masterName} ${password}`,
          `sentinel down-after-milliseconds ${d.masterName} 30000`,
          `sentinel failover-timeout ${d.masterName} 60000`,
        );
      }
      fs.writeFileSync(conf, lines.join("\n") + "\n", { mode: 0o600 });
      procs.set(s.port, spawn("redis-sentinel", [conf], { stdio: "ignore" }));
    }
    const ask = async (port: number, auth: boolean, ...cmd: string[]) => {
      const r = new Redis({
        host: "127.0.0.1",
        port,
        password: auth ? password : undefined,
        lazyConnect: true,
        connectTimeout: 2000,
        commandTimeout: 2000,
        maxRetriesPerRequest: 0,
      });
      r.on("error", () => {});
      try {
        await r.connect();
        return String(await r.call(cmd[0], ...cmd.slice(1)));
      } finally {
        r.disconnect();
      }
    };
    await until(
      "every replica linked to its master",
      async () => (await Promise.all(deployments.map((d) => ask(d.replica.port, true, "INFO", "replication")))).every((t) => /master_link_status:up/.test(t)),
      60_000,
    );
    await until(
      "every sentinel monitoring every master with its replica",
      async () =>
        (await Promise.all(sentinels.map((s) => ask(s.port, false, "INFO", "sentinel")))).every(
          (t) => (t.match(/status=ok/g) ?? []).length === count && (t.match(/slaves=1/g) ?? []).length === count,
        ),
      90_000,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    deployments,
    sentinels,
    killMaster: (d) => procs.get(d.master.port)?.kill("SIGKILL"),
    restartMaster: (d) => server(d.master.port),
    stop,
  };
}

/**
 * A plain (no TLS) Redis Sentinel deployment the console did not start, for the external chaos
 * target's tests: master + replica + 3 sentinels, the default user off, an admin user for the
 * test's own hand and the chaos ACL user from lib/chaos/targets/acl.ts. Killed by stop() and on exit.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Redis from "ioredis";
import { chaosAclLine } from "../../../lib/chaos/targets/acl";
import { consoleAclLine } from "../../../lib/contract/console-acl";
import { waitFor } from "./stack";

export const PLAIN_MASTER = "devmaster";
/** Debian's redis-server, by the absolute path DEBUG CRASH-AND-RECOVER needs. */
const REDIS_SERVER_PATH = execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim();
export const PLAIN_SECRETS = { chaos: "chaos-pw-6a1d2f", admin: "admin-pw-93b1c0", console: "watch-pw-2c7e0b" } as const;

const live = new Set<ChildProcess>();
process.once("exit", () => live.forEach((c) => c.kill("SIGKILL")));

export interface PlainTarget {
  dir: string;
  nodes: number[];
  sentinels: number[];
  admin(port: number, ...args: (string | number)[]): Promise<unknown>;
  master(): Promise<number>;
  stop(): void;
}

/**
 * downAfterMs is longer than any pause the tests inject (8 s at most): a CLIENT PAUSE ALL longer
 * than down-after-milliseconds may or may not let Sentinel fail over (the paused replica can be
 * judged down too), and a test must not depend on that race. Failovers are asked for by name.
 */
export async function startPlainTarget(basePort: number, downAfterMs = 10_000, opts: { debug?: boolean } = {}): Promise<PlainTarget> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-devchaos-"));
  const nodes = [basePort, basePort + 1];
  const sentinels = [basePort + 2, basePort + 3, basePort + 4];
  const procs: ChildProcess[] = [];
  const start = (bin: string, port: number, lines: string[]) => {
    const file = path.join(dir, `${port}.conf`);
    fs.writeFileSync(file, [`port ${port}`, "bind 127.0.0.1", `dir ${dir}`, ...lines].join("\n") + "\n", { mode: 0o600 });
    const child = spawn(bin, [file], { stdio: "ignore", cwd: dir });
    live.add(child);
    child.once("exit", () => live.delete(child));
    procs.push(child);
  };
  for (const port of nodes) {
    // With debug: DEBUG allowed, an AOF to restart on, and the binary by its absolute path (Redis
    // re-executes argv[0] on DEBUG CRASH-AND-RECOVER, resolved against its working directory).
    start(opts.debug ? REDIS_SERVER_PATH : "redis-server", port, [
      `dbfilename dump-${port}.rdb`,
      `save ""`,
      opts.debug ? "appendonly yes" : "appendonly no",
      `appendfilename appendonly-${port}.aof`,
      `appenddirname aof-${port}`,
      "maxmemory 0",
      "maxmemory-policy allkeys-lru",
      opts.debug ? "enable-debug-command yes" : "enable-debug-command no",
      "user default off",
      `user admin on >${PLAIN_SECRETS.admin} ~* &* +@all`,
      chaosAclLine("rrc-chaos", PLAIN_SECRETS.chaos),
      consoleAclLine("console", PLAIN_SECRETS.console),
      "masteruser admin",
      `masterauth ${PLAIN_SECRETS.admin}`,
      ...(port === basePort ? [] : [`replicaof 127.0.0.1 ${basePort}`]),
    ]);
  }
  for (const port of sentinels) {
    start("redis-sentinel", port, [
      `sentinel monitor ${PLAIN_MASTER} 127.0.0.1 ${basePort} 2`,
      `sentinel auth-user ${PLAIN_MASTER} admin`,
      `sentinel auth-pass ${PLAIN_MASTER} ${PLAIN_SECRETS.admin}`,
      `sentinel down-after-milliseconds ${PLAIN_MASTER} ${downAfterMs}`,
      `sentinel failover-timeout ${PLAIN_MASTER} 10000`,
    ]);
  }
  const call = async (port: number, user: string | undefined, password: string | undefined, args: (string | number)[]) => {
    const r = new Redis({
      host: "127.0.0.1",
      port,
      username: user,
      password,
      lazyConnect: true,
      connectTimeout: 1000,
      commandTimeout: 2000,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    r.on("error", () => {});
    try {
      await r.connect();
      return await r.call(String(args[0]), ...args.slice(1).map(String));
    } finally {
      r.disconnect();
    }
  };
  const target: PlainTarget = {
    dir,
    nodes,
    sentinels,
    admin: (port, ...args) => call(port, "admin", PLAIN_SECRETS.admin, args),
    master: async () => Number(((await call(sentinels[0], undefined, undefined, ["SENTINEL", "get-master-addr-by-name", PLAIN_MASTER])) as string[])[1]),
    stop: () => {
      for (const p of procs) p.kill("SIGKILL");
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  // A target that never settles is stopped here: the caller gets no handle to stop it with.
  await waitFor(
    "the plain target's replica in sync and sentinels seeing it",
    async () => {
      const info = String(await target.admin(basePort + 1, "INFO", "replication").catch(() => ""));
      const s = await call(sentinels[0], undefined, undefined, ["SENTINEL", "replicas", PLAIN_MASTER]).catch(() => []);
      return info.includes("master_link_status:up") && (s as unknown[]).length === 1;
    },
    30_000,
  ).catch((err: Error) => {
    target.stop();
    throw err;
  });
  return target;
}

/** The `redis` block of a console config watching a plain target as the `console` user (its password from RRC_WATCH_PW). */
export function watchedRedis(t: Pick<PlainTarget, "nodes" | "sentinels">, host = "127.0.0.1") {
  return {
    masterName: PLAIN_MASTER,
    nodes: t.nodes.map((port, i) => ({ id: `dev-${i + 1}`, host, port })),
    sentinels: t.sentinels.map((port, i) => ({ id: `sentinel-${i + 1}`, host, port })),
    username: "console",
    password: { from: "env", name: "RRC_WATCH_PW" },
  };
}

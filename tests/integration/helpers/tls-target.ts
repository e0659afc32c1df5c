/**
 * A production-like Redis the console did not start, for integration tests: TLS only (`port 0`,
 * `tls-port`, `tls-replication yes`), the default user off, the console's least-privilege ACL user,
 * a master + replica + 3 sentinels that require a password over TLS (`sentinel auth-user/auth-pass`),
 * certificates made with openssl in a temp dir. Real redis-server / redis-sentinel processes,
 * killed and removed by stop() — and on process exit, whatever happened. With `chaos: true` the
 * nodes also have the chaos ACL user (lib/chaos/targets/acl.ts) for dev-chaos-tls.test.ts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Redis from "ioredis";
import { chaosAclLine } from "../../../lib/chaos/targets/acl";
import { consoleAclLine, consoleSentinelAclLine } from "../../../lib/contract/console-acl";
import { makeTestCerts, type TestCerts } from "../../../devstack/topology/tls-certs";
import { waitFor } from "./stack";

export const MASTER_NAME = "prodmaster";
/** Test-only secrets; the secret scans look for these exact strings. */
export const SECRETS = {
  console: "console-pw-7c1f9e",
  limited: "limited-pw-51aa0b",
  replicator: "repl-pw-93e2d4",
  sentinelUser: "sentinel-acl-pw-0d4f",
  sentinel: "sentinel-pw-e8b6a2",
  watcher: "watcher-pw-4b7e21",
  admin: "admin-pw-c3d9a7",
  rotated: "console-pw-rotated-2f8e5d",
  /** The chaos ACL user's (`rrc-chaos`), on the nodes only with `chaos: true`. */
  chaos: "chaos-pw-tls-8d3a61",
} as const;

/** The chaos ACL user's name on a target started with `chaos: true`. */
export const CHAOS_USER = "rrc-chaos";

export interface TlsTarget {
  certs: TestCerts;
  dir: string;
  master: number;
  replica: number | null;
  sentinels: number[];
  /** The console user's password, in a file (as a mounted secret). */
  consolePasswordFile: string;
  limitedPasswordFile: string;
  sentinelPasswordFile: string;
  watcherPasswordFile: string;
  kill(port: number): void;
  /** INFO `section` of a node, asked as the console user on a fresh connection (null when it does not answer). */
  info(port: number, section: string): Promise<string | null>;
  /** Runs a command on a node as the test's admin user. */
  admin(port: number, ...args: string[]): Promise<unknown>;
  /** Runs a command on a sentinel with its requirepass (the default user), over TLS. */
  sentinel(port: number, ...args: string[]): Promise<unknown>;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once("exit", () => live.forEach((c) => c.kill("SIGKILL")));

function tlsLines(certs: TestCerts, port: number): string[] {
  return [
    `port 0`,
    `tls-port ${port}`,
    `bind 127.0.0.1`,
    `tls-cert-file ${certs.cert}`,
    `tls-key-file ${certs.key}`,
    `tls-ca-cert-file ${certs.ca}`,
    `tls-auth-clients no`,
    `tls-replication yes`,
  ];
}

function nodeConf(certs: TestCerts, dir: string, port: number, replicaOf: number | null, chaos = false): string {
  return (
    [
      ...tlsLines(certs, port),
      `dir ${dir}`,
      `save ""`,
      `appendonly no`,
      // Production-like: the guide's baseline would say noeviction + a limit; left at 0 so the audit shows drift.
      `maxmemory 0`,
      `user default off`,
      consoleAclLine("console", SECRETS.console),
      // A console user without CONFIG GET: the config audit must switch off alone, and say so.
      `user limited on >${SECRETS.limited} resetchannels -@all +info +ping +role +scan +memory|usage +pttl +dbsize %R~*`,
      // The test's own hand on the nodes (password rotation); never given to the console.
      `user admin on >${SECRETS.admin} ~* &* +@all`,
      `user replicator on >${SECRETS.replicator} -@all +psync +replconf +ping`,
      // The faults' own credential (docs/chaos-dev-stack.md): key access to rrc:* only.
      ...(chaos ? [chaosAclLine(CHAOS_USER, SECRETS.chaos)] : []),
      // Sentinel's documented needs (redis.io "Redis Sentinel" ACL section).
      `user sentinel on >${SECRETS.sentinelUser} allchannels -@all +multi +slaveof +ping +exec +subscribe +config|rewrite +role +publish +info +client|setname +client|kill +script|kill`,
      `masteruser replicator`,
      `masterauth ${SECRETS.replicator}`,
      ...(replicaOf ? [`replicaof 127.0.0.1 ${replicaOf}`] : []),
    ].join("\n") + "\n"
  );
}

function sentinelConf(certs: TestCerts, dir: string, port: number, master: number, downAfterMs: number): string {
  return (
    [
      ...tlsLines(certs, port),
      `dir ${dir}`,
      `requirepass ${SECRETS.sentinel}`,
      // For redis.sentinelUsername: the console's least privilege on a sentinel.
      consoleSentinelAclLine("watcher", SECRETS.watcher),
      `sentinel sentinel-pass ${SECRETS.sentinel}`,
      `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${master} 2`,
      `sentinel auth-user ${MASTER_NAME} sentinel`,
      `sentinel auth-pass ${MASTER_NAME} ${SECRETS.sentinelUser}`,
      `sentinel down-after-milliseconds ${MASTER_NAME} ${downAfterMs}`,
      `sentinel failover-timeout ${MASTER_NAME} 10000`,
    ].join("\n") + "\n"
  );
}

function tlsClient(certs: TestCerts, port: number, auth: { username?: string; password: string }): Redis {
  const r = new Redis({
    host: "127.0.0.1",
    port,
    tls: { ca: [fs.readFileSync(certs.ca)] },
    ...auth,
    lazyConnect: true,
    connectTimeout: 1000,
    commandTimeout: 1000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  r.on("error", () => {});
  return r;
}

/** Asks `port` once with a fresh TLS client; null when it does not answer. */
async function ask<T>(certs: TestCerts, port: number, auth: { username?: string; password: string }, q: (r: Redis) => Promise<T>): Promise<T | null> {
  const r = tlsClient(certs, port, auth);
  try {
    await r.connect();
    return await q(r);
  } catch {
    return null;
  } finally {
    r.disconnect();
  }
}

/**
 * `chaos`: the nodes also get the chaos ACL user. `downAfterMs` (default 2000): the sentinels'
 * down-after-milliseconds; a chaos test pausing every node sets it above its longest pause.
 */
export async function startTlsTarget(opts: { basePort: number; standalone?: boolean; chaos?: boolean; downAfterMs?: number }): Promise<TlsTarget> {
  const certs = makeTestCerts();
  const dir = path.join(certs.dir, "run");
  fs.mkdirSync(dir);
  const procs = new Map<number, ChildProcess>();
  const start = (bin: string, port: number, conf: string) => {
    const file = path.join(dir, `${port}.conf`);
    fs.writeFileSync(file, conf, { mode: 0o600 });
    const child = spawn(bin, [file], { stdio: "ignore", cwd: dir });
    live.add(child);
    child.once("exit", () => live.delete(child));
    procs.set(port, child);
  };
  const master = opts.basePort;
  const replica = opts.standalone ? null : opts.basePort + 1;
  const sentinels = opts.standalone ? [] : [2, 3, 4].map((o) => opts.basePort + o);
  const secretFile = (name: string, value: string) => {
    const p = path.join(certs.dir, name);
    fs.writeFileSync(p, value + "\n", { mode: 0o600 });
    return p;
  };
  const target: TlsTarget = {
    certs,
    dir,
    master,
    replica,
    sentinels,
    consolePasswordFile: secretFile("console-password", SECRETS.console),
    limitedPasswordFile: secretFile("limited-password", SECRETS.limited),
    sentinelPasswordFile: secretFile("sentinel-password", SECRETS.sentinel),
    watcherPasswordFile: secretFile("watcher-password", SECRETS.watcher),
    kill: (port) => procs.get(port)?.kill("SIGKILL"),
    admin: async (port, ...args) => {
      const r = tlsClient(certs, port, { username: "admin", password: SECRETS.admin });
      try {
        await r.connect();
        return await r.call(args[0], ...args.slice(1));
      } finally {
        r.disconnect();
      }
    },
    sentinel: async (port, ...args) => {
      const r = tlsClient(certs, port, { password: SECRETS.sentinel });
      try {
        await r.connect();
        return await r.call(args[0], ...args.slice(1));
      } finally {
        r.disconnect();
      }
    },
    info: (port, section) => ask(certs, port, { username: "console", password: SECRETS.console }, (r) => r.info(section)),
    stop: async () => {
      await Promise.all(
        [...procs.values()].map((c) => {
          if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
          const exited = new Promise((r) => c.once("exit", r));
          c.kill("SIGKILL");
          return exited;
        }),
      );
      certs.remove();
    },
  };
  try {
    const consoleAuth = { username: "console", password: SECRETS.console };
    start("redis-server", master, nodeConf(certs, path.join(dir), master, null, opts.chaos));
    if (replica) start("redis-server", replica, nodeConf(certs, dir, replica, master, opts.chaos));
    await waitFor("TLS master answers the console user", () => ask(certs, master, consoleAuth, (r) => r.ping()), 20_000, 100);
    if (replica) {
      await waitFor(
        "TLS replica in sync",
        async () => /master_link_status:up/.test((await ask(certs, replica, consoleAuth, (r) => r.info("replication"))) ?? ""),
        20_000,
        200,
      );
      for (const s of sentinels) {
        // Each sentinel rewrites its config file: one file per sentinel.
        start("redis-sentinel", s, sentinelConf(certs, dir, s, master, opts.downAfterMs ?? 2000));
      }
      await waitFor(
        "3 TLS sentinels that know each other and the replica",
        async () => {
          const views = await Promise.all(
            sentinels.map((s) => ask(certs, s, { password: SECRETS.sentinel }, (r) => r.call("SENTINEL", "MASTER", MASTER_NAME) as Promise<string[]>)),
          );
          return views.every((v) => {
            if (!v) return false;
            const m = Object.fromEntries(v.flatMap((x, i) => (i % 2 === 0 ? [[x, v[i + 1]]] : [])));
            return m["num-other-sentinels"] === "2" && m["num-slaves"] === "1" && m.flags === "master";
          });
        },
        30_000,
        250,
      );
    }
    return target;
  } catch (err) {
    await target.stop();
    throw err;
  }
}

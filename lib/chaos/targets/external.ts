import "server-only";
/**
 * The external target: faults on a Redis the console does not own, by commands alone (no kill,
 * no SIGSTOP). Each driver journals what undoes it before it acts; restore() works from the
 * journal. Every connection goes through the one client factory with the chaos credential.
 */
import type Redis from "ioredis";
import type { ConnectionAuth } from "../../redis/connection-auth";
import type { FaultJournal, NodeAddress } from "../journal";
import type { CapabilityAnswer } from "./capabilities";
import { addr, openClient, withClient } from "./connect";
import { LOCK_KEY, MARKER_KEY } from "./opt-in";
import { restoreJournal, unpauseFirst } from "./restore";
import { fillNode } from "./fill";
import { ConnectionHold } from "./connection-hold";
import { HOLD_CAP } from "./hold-cap";

export interface ExternalTargetOptions {
  deployment: string;
  nodes: NodeAddress[];
  sentinels: NodeAddress[];
  masterName: string;
  auth: ConnectionAuth;
  sentinelAuth: ConnectionAuth;
  timeoutMs: number;
  /** Configured fault proxy: the only way this target adds latency. */
  proxy?: { host: string; port: number };
  connectionHeadroom: number;
}

function infoField(info: string, field: string): string | null {
  return info.match(new RegExp(`^${field}:(.*)$`, "m"))?.[1].trim() ?? null;
}

export class ExternalTarget {
  /** `exhaust-connections`: connections held on the master (and maxclients lowered past HOLD_CAP), released on restore or with the console. */
  readonly connections: ConnectionHold;
  /** Opened before a pause: under CLIENT PAUSE ALL even AUTH on a new connection waits, so the unpause needs one from before. */
  private pausers: Redis[] = [];

  constructor(
    readonly opts: ExternalTargetOptions,
    readonly journal: FaultJournal,
  ) {
    this.connections = new ConnectionHold({
      master: () => this.master(),
      journal,
      auth: opts.auth,
      timeoutMs: opts.timeoutMs,
      minHeadroom: opts.connectionHeadroom,
    });
  }

  /**
   * The master: the sentinels' answer first (right after a failover the old master still says
   * "master" until Sentinel demotes it), confirmed by the node's own role; else the first node that says master.
   */
  async master(): Promise<NodeAddress> {
    let last: unknown = null;
    const isMaster = async (n: NodeAddress) =>
      infoField(await withClient(n, this.opts.auth, this.opts.timeoutMs, (r) => r.info("replication")), "role") === "master";
    for (const s of this.opts.sentinels) {
      try {
        const [host, port] = (await withClient(s, this.opts.sentinelAuth, this.opts.timeoutMs, (r) =>
          r.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", this.opts.masterName),
        )) as [string, string];
        const n = this.opts.nodes.find((x) => x.port === Number(port) && (x.host === host || host === "127.0.0.1")) ?? { host, port: Number(port) };
        if (await isMaster(n)) return n;
      } catch (err) {
        last = err; // the next sentinel, or the nodes themselves
      }
    }
    for (const n of this.opts.nodes) {
      try {
        if (await isMaster(n)) return n;
      } catch (err) {
        last = err; // a node that does not answer is not the master we can act on
      }
    }
    throw new Error(`no node of ${this.opts.nodes.map(addr).join(", ")} answers as master to the chaos user${last ? `: ${(last as Error).message}` : ""}`);
  }

  /** The first answering sentinel's down-after-milliseconds for this master, or null. */
  async downAfterMs(): Promise<number | null> {
    for (const s of this.opts.sentinels) {
      const fields = await withClient(s, this.opts.sentinelAuth, this.opts.timeoutMs, (r) => r.call("SENTINEL", "MASTER", this.opts.masterName)).catch(
        () => null,
      );
      if (!Array.isArray(fields)) continue;
      const i = fields.indexOf("down-after-milliseconds");
      if (i >= 0) return Number(fields[i + 1]);
    }
    return null;
  }

  /** The master's persistence, for the plan's warning before a crash (null when it does not answer). */
  async persistence(): Promise<{ appendonly: string; save: string } | null> {
    const master = await this.master().catch(() => null);
    if (!master) return null;
    return withClient(master, this.opts.auth, this.opts.timeoutMs, async (r) => ({
      appendonly: ((await r.call("CONFIG", "GET", "appendonly")) as string[])[1] ?? "",
      save: ((await r.call("CONFIG", "GET", "save")) as string[])[1] ?? "",
    })).catch(() => null);
  }

  async capabilities(): Promise<CapabilityAnswer[]> {
    const master = await this.master();
    const debug = await withClient(
      master,
      this.opts.auth,
      this.opts.timeoutMs,
      async (r) => ((await r.call("CONFIG", "GET", "enable-debug-command")) as string[])[1] ?? "no",
    );
    const debugOk = debug === "yes" || (debug === "local" && /^(127\.|::1$|localhost$)/.test(master.host));
    return [
      { capability: "freeze-master", available: true, how: "CLIENT PAUSE <ms> ALL (or WRITE) on every node; Redis lifts it itself when the time is up" },
      { capability: "fill-memory", available: true, how: "CONFIG SET maxmemory (originals journaled), filler under rrc:filler:* with TTLs" },
      {
        capability: "fail-over",
        available: this.opts.sentinels.length > 0,
        how: `SENTINEL FAILOVER ${this.opts.masterName}`,
        reason: this.opts.sentinels.length ? undefined : "no sentinels in the config",
      },
      {
        capability: "restart-master",
        available: debugOk,
        how: "DEBUG CRASH-AND-RECOVER <ms> (a process crash: no save, no config rewrite)",
        reason: debugOk
          ? undefined
          : `the master's enable-debug-command is "${debug}": DEBUG is not allowed, so restart and crash scenarios are unavailable (set enable-debug-command yes to allow them)`,
      },
      {
        capability: "exhaust-connections",
        available: true,
        how: `connections held on the master up to maxclients minus the headroom (at least ${this.opts.connectionHeadroom}); past ${HOLD_CAP} free slots maxclients is lowered for the run (journaled)`,
      },
      {
        capability: "add-latency",
        available: !!this.opts.proxy,
        how: "delay in the console-run fault proxy",
        reason: this.opts.proxy
          ? undefined
          : 'no fault proxy configured ("chaos": {"proxy": {"listen": …, "upstream": "sentinel"}}): the layers reach Redis directly, so latency cannot be added',
      },
    ];
  }

  /** Freezes every node for ms: ALL (outage) or WRITE (write outage). Redis lifts it by itself. */
  async pause(ms: number, mode: "ALL" | "WRITE"): Promise<void> {
    const clients = await Promise.all(this.opts.nodes.map((n) => openClient(n, this.opts.auth, this.opts.timeoutMs)));
    this.pausers.push(...clients);
    for (const [i, n] of this.opts.nodes.entries()) {
      await this.journal.record({ kind: "pause", node: n, untilMs: Date.now() + ms });
      await clients[i].call("CLIENT", "PAUSE", String(ms), mode);
    }
  }

  /**
   * Sets a maxmemory just above what the master uses (when it has none, or a higher one) and
   * fills under rrc:filler:<run>:* with TTLs until `percent` of it is used or Redis evicts.
   */
  async fillMemory(
    percent: number,
    ttlMs: number,
    policy?: string,
    headroomBytes = 4 * 1024 * 1024,
  ): Promise<{ maxmemory: number; usedPercent: number; keys: number; evicted: number }> {
    const master = await this.master();
    const runId = this.journal.data.runId;
    return withClient(master, this.opts.auth, this.opts.timeoutMs, (r) =>
      fillNode(r, master, this.journal, {
        marker: MARKER_KEY,
        pattern: "rrc:filler:*",
        keyPrefix: `rrc:filler:${runId}:`,
        percent,
        ttlMs,
        policy,
        headroomBytes,
      }),
    );
  }

  /**
   * Crashes the master with DEBUG CRASH-AND-RECOVER (no save, no config rewrite: a process crash,
   * as kill -9 in the sandbox) and resolves once the connection dropped. Journaled first: the
   * restore waits until the node answers again, and puts the marker back as found (a master
   * without persistence comes back empty, and its replicas resync empty).
   */
  async crash(delayMs: number): Promise<NodeAddress> {
    const master = await this.master();
    const c = await openClient(master, this.opts.auth, this.opts.timeoutMs);
    try {
      await this.journal.record({ kind: "marker", node: master, key: MARKER_KEY, original: await c.get(MARKER_KEY) });
      await this.journal.record({ kind: "restart", node: master, at: Date.now() });
      const outcome = await c.call("DEBUG", "CRASH-AND-RECOVER", String(delayMs)).then(
        () => null,
        (err: Error) => err,
      );
      // The command has no answer when it works: the process re-executes itself and the connection drops.
      if (outcome === null) throw new Error("DEBUG CRASH-AND-RECOVER answered instead of restarting the server");
      if (/failed to restart/i.test(outcome.message))
        throw new Error(
          `${addr(master)} could not re-execute itself (${outcome.message}): Redis finds its own binary from argv[0], so a server started as a bare "redis-server" (as in Docker's entrypoint) cannot restart itself; start it with an absolute path`,
        );
      if (!/closed|ECONNRESET|EPIPE|writeable|timed out|max retries/i.test(outcome.message)) throw outcome;
      return master;
    } finally {
      c.disconnect();
    }
  }

  async failover(): Promise<string> {
    let last: unknown = null;
    for (const s of this.opts.sentinels) {
      try {
        await withClient(s, this.opts.sentinelAuth, this.opts.timeoutMs, (r) => r.call("SENTINEL", "FAILOVER", this.opts.masterName));
        return addr(s);
      } catch (err) {
        last = err;
      }
    }
    throw new Error(`no sentinel accepted SENTINEL FAILOVER ${this.opts.masterName}: ${(last as Error)?.message ?? "no sentinels"}`);
  }

  async restore(): Promise<{ done: string[]; failed: string[] }> {
    // Held connections first: with Redis full, the journal's restore could not connect.
    await this.connections.releaseConnections().catch(() => undefined);
    await unpauseFirst(this.pausers, this.journal);
    return restoreJournal(this.journal.data, { auth: this.opts.auth, sentinelAuth: this.opts.sentinelAuth, timeoutMs: this.opts.timeoutMs });
  }

  /** Keys the post-flight compares: the lock must be gone, the marker as found. */
  static readonly watchedKeys = [MARKER_KEY, LOCK_KEY];
}

import "server-only";
/**
 * One chaos run on an external target, from the three keys to the post-flight: begin() checks
 * chaos.allow, the marker and takes the lock (journaled first); while the run lives the lock is
 * refreshed and the marker and lock re-created if the run's own pressure evicted them; end()
 * restores from the journal and compares the target with the journal's originals.
 */
import type Redis from "ioredis";
import { FaultJournal, fileJournal, type JournalBackend, type JournalFile, type NodeAddress } from "../journal";
import { addr, openClient, withClient } from "./connect";
import { ExternalTarget, type ExternalTargetOptions } from "./external";
import { openRunJournal, LOCK_KEY, markerRefusal, MARKER_KEY, takeLock, type Refusal } from "./opt-in";
import { clusterPostflight, restoreClusterJournal } from "./cluster-journal";
import { mastersNow, restoreJournal, sameNode, type RestoreAccess } from "./restore";

export interface SessionOptions extends ExternalTargetOptions {
  allow: boolean | undefined;
  dataDir: string;
  /** Where the journal is committed; a file in dataDir without it. */
  journal?: JournalBackend;
  runId: string;
  /** The run's own window; the lock lives this long past its last refresh at most. */
  lockTtlMs: number;
  /** Told when a person deleted the marker mid-run (consent revoked): the run must stop. */
  onRevoked?: (reason: string) => void;
}

export type BeginResult = { ok: true; session: ChaosSession } | { ok: false; refusal: Refusal };

/** Whether the node is a replica linked to `master` now (the marker may not have reached it yet). */
async function linkedTo(n: NodeAddress, master: NodeAddress, opts: SessionOptions): Promise<boolean> {
  const info = await withClient(n, opts.auth, opts.timeoutMs, (c) => c.info("replication")).catch(() => "");
  const host = /master_host:(\S+)/.exec(info)?.[1];
  const port = Number(/master_port:(\d+)/.exec(info)?.[1]);
  return /master_link_status:up/.test(info) && !!host && sameNode({ host, port }, master);
}

/**
 * Every node a run touches (a pause goes to each configured node) must carry the marker too: a
 * replica of the marked master has it by replication, a node outside the marked stack does not.
 */
async function nodesOutsideTheMarkedStack(opts: SessionOptions, master: NodeAddress): Promise<Refusal | null> {
  for (const n of opts.nodes) {
    if (sameNode(n, master)) continue;
    const value = await withClient(n, opts.auth, opts.timeoutMs, (c) => c.get(MARKER_KEY)).catch((err: Error) => `(no answer: ${err.message})`);
    if (value === opts.deployment || (await linkedTo(n, master, opts))) continue;
    return {
      key: "marker",
      reason: `the node ${addr(n)} in the config has ${value === null ? `no ${MARKER_KEY}` : `${MARKER_KEY} ${JSON.stringify(String(value).slice(0, 100))}`}: it is not a replica of the marked master ${addr(master)}, and a run would pause it too`,
      fix: `remove ${addr(n)} from the deployment's redis.nodes, or make it a replica of ${addr(master)} (it then has the marker by replication)`,
    };
  }
  return null;
}

export class ChaosSession {
  private keeper: NodeJS.Timeout | null = null;
  private keeperClient: Redis | null = null;
  /** Why the run must stop: a person deleted the marker (consent revoked); null while it stands. */
  revoked: string | null = null;

  private constructor(
    readonly target: ExternalTarget,
    private readonly opts: SessionOptions,
  ) {}

  static async begin(opts: SessionOptions): Promise<BeginResult> {
    const opened = await openRunJournal({ ...opts, hasUser: !!opts.auth.username });
    if (!opened.ok) return opened;
    const { journal } = opened;
    journal.data.topology = { nodes: opts.nodes, sentinels: opts.sentinels, masterName: opts.masterName };
    const target = new ExternalTarget(opts, journal);
    const master = await target.master();
    const refusal = await withClient(master, opts.auth, opts.timeoutMs, async (r) => {
      // Another run's lock is the refusal that explains most (its memory pressure may have
      // evicted the marker a moment before its keeper puts it back).
      if ((await r.get(LOCK_KEY)) !== null) return takeLock(r, opts.runId, opts.lockTtlMs, addr(master));
      const marker = await markerRefusal(r, opts.deployment, addr(master), !!opts.auth.tls);
      if (marker) return marker;
      const outside = await nodesOutsideTheMarkedStack(opts, master);
      if (outside) return outside;
      await journal.record({ kind: "lock", node: master, key: LOCK_KEY, runId: opts.runId });
      return takeLock(r, opts.runId, opts.lockTtlMs, addr(master));
    });
    if (refusal) {
      // Only this run's own journal (its lock entry) goes; any other is a record to keep.
      if (journal.data.entries.length && (await journal.backend.read())?.runId === opts.runId) await journal.finish();
      return { ok: false, refusal };
    }
    const session = new ChaosSession(target, opts);
    await session.keep(master);
    return { ok: true, session };
  }

  /** Refreshes the lock a few times per TTL; re-creates the lock or marker when eviction took them. */
  private async keep(master: { host: string; port: number }): Promise<void> {
    this.keeperClient = await openClient(master, this.opts.auth, this.opts.timeoutMs);
    const r = this.keeperClient;
    // Evictions and restarts (a crash without persistence empties the master) take the marker
    // without anyone meaning it; only a marker gone with neither is a person's deletion.
    const losses = async () => {
      const info = await r.info();
      return `${/run_id:(\w+)/.exec(info)?.[1]} ${/evicted_keys:(\d+)/.exec(info)?.[1]}`;
    };
    let lossesBefore = await losses().catch(() => "");
    const tick = async () => {
      try {
        if ((await r.get(LOCK_KEY)) === this.opts.runId) await r.pexpire(LOCK_KEY, this.opts.lockTtlMs);
        else await r.set(LOCK_KEY, this.opts.runId, "PX", this.opts.lockTtlMs, "NX");
        const lossesNow = await losses();
        if (!this.revoked && (await r.get(MARKER_KEY)) === null) {
          // Evicted by the run's own pressure, or lost in a restart: put back. Gone with neither: a person deleted it.
          if (lossesNow !== lossesBefore) await r.set(MARKER_KEY, this.opts.deployment);
          else this.revoke(addr(master));
        }
        lossesBefore = lossesNow;
      } catch {
        /* a paused or busy master: the next tick tries again; the TTL covers the gap */
      }
    };
    // At least once a second: the touch keeps both keys recently used, so allkeys-lru under the
    // run's own pressure rarely picks them, and puts them back at once when it does.
    this.keeper = setInterval(() => void tick(), Math.min(1000, Math.max(200, Math.floor(this.opts.lockTtlMs / 4))));
  }

  /** Consent revoked: the marker stays deleted (the restore and the post-flight expect it absent) and the run is told to stop. */
  private revoke(where: string): void {
    this.revoked = `${MARKER_KEY} was deleted on ${where} during the run (chaos consent revoked): the run was stopped and the marker left deleted`;
    for (const e of this.target.journal.data.entries) if (e.kind === "marker") e.original = null;
    void this.target.journal.flush().catch(() => {
      /* the restore writes it again; the originals in memory are what it restores from */
    });
    this.opts.onRevoked?.(this.revoked);
  }

  /** Undoes everything, then the post-flight: differences from the journal's originals fail the run. */
  async end(): Promise<{ done: string[]; problems: string[] }> {
    if (this.keeper) clearInterval(this.keeper);
    this.keeperClient?.disconnect();
    const { done, failed } = await this.target.restore();
    const access = { auth: this.opts.auth, sentinelAuth: this.opts.sentinelAuth, timeoutMs: this.opts.timeoutMs };
    const problems = [...failed, ...(await postflightDifferences(this.target.journal.data, access))];
    if (!problems.length) await this.target.journal.finish();
    return { done, problems };
  }
}

/** What differs on the target from the journal's originals (config, marker, filler keys, our lock), on the nodes named and every master now. */
export async function postflightDifferences(j: JournalFile, access: RestoreAccess): Promise<string[]> {
  const problems: string[] = [];
  const masters = await mastersNow(j, access);
  for (const e of j.entries) {
    const where = e.kind === "config" || e.kind === "pause" || e.kind === "restart" ? [e.node] : [e.node, ...masters.filter((m) => !sameNode(m, e.node))];
    for (const node of where) {
      await withClient(node, access.auth, access.timeoutMs, async (r) => {
        if (e.kind === "config") {
          const [, now] = (await r.call("CONFIG", "GET", e.name)) as string[];
          if (now !== e.original) problems.push(`${e.name} on ${addr(node)} is ${now}, was ${e.original}`);
        } else if (e.kind === "marker") {
          const now = await r.get(e.key);
          if (now !== e.original) problems.push(`${e.key} on ${addr(node)} is ${now ?? "absent"}, was ${e.original ?? "absent"}`);
        } else if (e.kind === "filler") {
          const [, keys] = (await r.scan("0", "MATCH", e.pattern, "COUNT", 1000)) as [string, string[]];
          if (keys.length) problems.push(`filler keys (${e.pattern}) left on ${addr(node)}`);
        } else if (e.kind === "restart") {
          await r.ping();
        } else if (e.kind === "lock") {
          if ((await r.get(e.key)) === e.runId) problems.push(`${e.key} on ${addr(node)} is still held by ${e.runId}`);
        }
      }).catch((err: Error) => problems.push(`post-flight on ${addr(node)}: ${err.message}`));
    }
  }
  problems.push(...(await replicaLeftovers(j, access, masters)));
  return problems;
}

/** How long a replica gets to apply the master's deletes before its copies count as left over. */
const REPLICA_CATCH_UP_MS = 3000;

/**
 * The run's lock and keys on the replicas: the restore deletes them on the masters, and a replica
 * that was not linked then (a crash) keeps its copies; promoted later, it would bring them back.
 */
async function replicaLeftovers(j: JournalFile, access: RestoreAccess, masters: NodeAddress[]): Promise<string[]> {
  const replicas = (j.topology?.nodes ?? []).filter((n) => !masters.some((m) => sameNode(m, n)));
  const data = j.entries.filter((e) => e.kind === "lock" || e.kind === "filler");
  const check = async (): Promise<string[]> => {
    const found: string[] = [];
    for (const n of replicas)
      await withClient(n, access.auth, access.timeoutMs, async (r) => {
        for (const e of data) {
          if (e.kind === "lock" && (await r.get(e.key)) === e.runId) found.push(`${e.key} still held by ${e.runId} on the replica ${addr(n)}`);
          if (e.kind === "filler" && ((await r.scan("0", "MATCH", e.pattern, "COUNT", 1000)) as [string, string[]])[1].length)
            found.push(`keys (${e.pattern}) left on the replica ${addr(n)}: it did not get the master's deletes`);
        }
      }).catch(() => {
        /* a replica that does not answer has nothing to say here; the restart entry speaks of it */
      });
    return found;
  };
  const until = Date.now() + REPLICA_CATCH_UP_MS;
  for (;;) {
    const found = await check();
    if (!found.length || Date.now() > until) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * On start: a journal a dead console left is restored before anything else; the answer goes in
 * the timeline. `where`: a data dir (its file) or a backend; a journal whose run still goes on
 * another console (the store's) is not this console's to undo: null, as when there is none.
 */
export async function recoverUnfinished(
  where: string | JournalBackend,
  access: RestoreAccess,
): Promise<{ runId: string; done: string[]; problems: string[] } | null> {
  const backend = typeof where === "string" ? fileJournal(where) : where;
  const j = await backend.read();
  if (!j || (backend.orphaned && !(await backend.orphaned(j)))) return null;
  // A Redis Cluster dev stack's journal: its keys are found on the master serving their slot now.
  const cluster = !!j.topology?.cluster;
  const { done, failed } = cluster ? await restoreClusterJournal(j, access) : await restoreJournal(j, access);
  const problems = [...failed, ...(cluster ? await clusterPostflight(j, access) : await postflightDifferences(j, access))];
  if (!problems.length) await new FaultJournal(backend, j.deployment, j.runId, j).finish();
  return { runId: j.runId, done, problems };
}

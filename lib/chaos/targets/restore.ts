import "server-only";
/**
 * Undoes a fault journal, newest entry first, on fresh connections with the chaos credential.
 * Used at the end of every run and, on start, for a journal a dead console left behind. Every
 * entry is tried even when one fails; the failures are returned, never swallowed.
 */
import type { ConnectionAuth } from "../../redis/connection-auth";
import type Redis from "ioredis";
import type { FaultJournal, JournalEntry, JournalFile, NodeAddress } from "../journal";
import { parseInfo } from "../../redis/info";
import { addr, withClient } from "./connect";
import { releaseLock } from "./opt-in";
import { unlinkMatching } from "./fill";

/** The longest a restore waits for a pause to end by itself (a pause is the run's window, so this is a bound, not a wait). */
const MAX_PAUSE_WAIT_MS = 130_000;

const LOOPBACK = /^(127\.|::1$|localhost$)/;
/** Sentinel may name a node by another spelling of loopback than the config does. */
export const sameNode = (a: NodeAddress, b: NodeAddress) => a.port === b.port && (a.host === b.host || (LOOPBACK.test(a.host) && LOOPBACK.test(b.host)));

/** The keys a run writes (lock, marker, filler) live with the data: after a failover they are on the new master too. */
type DataEntry = Extract<JournalEntry, { kind: "lock" | "marker" | "filler" }>;
const isData = (e: JournalEntry): e is DataEntry => e.kind === "lock" || e.kind === "marker" || e.kind === "filler";

/** Credentials and deadline of a restore; the sentinels' own credential finds the master now. */
export interface RestoreAccess {
  auth: ConnectionAuth;
  sentinelAuth?: ConnectionAuth;
  timeoutMs: number;
}

export async function waitForPause(e: Extract<JournalEntry, { kind: "pause" }>): Promise<string> {
  // Under CLIENT PAUSE ALL a new connection cannot even AUTH, so a console that lost its own
  // connection waits for Redis to lift the pause itself, at the end of the run's window.
  const left = e.untilMs - Date.now();
  if (left > 0) await new Promise((r) => setTimeout(r, Math.min(left + 100, MAX_PAUSE_WAIT_MS)));
  return `pause on ${addr(e.node)} over (${left > 0 ? `lifted by Redis after ${Math.ceil(left / 1000)} s` : "already lifted"})`;
}

/**
 * CLIENT UNPAUSE on the connections opened before the pauses (a new one cannot even AUTH under
 * PAUSE ALL); what was lifted needs no wait in the journal's restore. A PAUSE ALL holds back even
 * CLIENT UNPAUSE, so that one fails within the client's timeout and the restore waits it out.
 */
export async function unpauseFirst(pausers: Redis[], journal: FaultJournal): Promise<void> {
  const unpaused: string[] = [];
  for (const c of pausers.splice(0)) {
    await c.call("CLIENT", "UNPAUSE").then(
      () => unpaused.push(`${c.options.host}:${c.options.port}`),
      () => {},
    );
    c.disconnect();
  }
  for (const e of journal.data.entries) if (e.kind === "pause" && unpaused.includes(addr(e.node))) e.untilMs = Date.now();
  await journal.flush();
}

/** The longest a restore waits for a crashed node to answer again (it re-executes itself and loads its data). */
const MAX_RESTART_WAIT_MS = 60_000;

/** Polls PING on fresh connections until the node answers, or the bound passes (then throws). */
export async function waitForAnswer(node: NodeAddress, access: RestoreAccess, boundMs = MAX_RESTART_WAIT_MS): Promise<number> {
  const started = Date.now();
  for (;;) {
    const ok = await withClient(node, access.auth, Math.min(access.timeoutMs, 500), (r) => r.ping()).then(
      () => true,
      () => false,
    );
    if (ok) return Date.now() - started;
    if (Date.now() - started > boundMs) throw new Error(`${addr(node)} does not answer ${Math.round(boundMs / 1000)} s after its restart`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** How long a restore waits for the replicas to be linked to their master again after a crash. */
const MAX_RELINK_WAIT_MS = 30_000;

/**
 * Until every other node of the topology says its link to the master is up: the run's keys are
 * deleted on the master next, and a replica still reconnecting after the crash would keep its
 * copies (and one promoted later would bring them back).
 */
async function waitForReplicas(j: JournalFile, crashed: NodeAddress, access: RestoreAccess): Promise<string> {
  const others = (j.topology?.nodes ?? []).filter((n) => !sameNode(n, crashed));
  const started = Date.now();
  const pending = async () => {
    const out: string[] = [];
    for (const n of others) {
      const info = await withClient(n, access.auth, access.timeoutMs, (r) => r.info("replication")).catch(() => null);
      const i = info === null ? null : parseInfo(info);
      if (i && i.role === "replica" && !i.masterLinkUp) out.push(addr(n));
    }
    return out;
  };
  for (;;) {
    const left = await pending();
    if (!left.length) return others.length ? `replicas linked again (${((Date.now() - started) / 1000).toFixed(1)} s)` : "no replicas to wait for";
    if (Date.now() - started > MAX_RELINK_WAIT_MS)
      throw new Error(`${left.join(", ")} not linked to the master ${MAX_RELINK_WAIT_MS / 1000} s after the restart`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function waitForRestart(e: Extract<JournalEntry, { kind: "restart" }>, j: JournalFile, access: RestoreAccess): Promise<string> {
  await waitForAnswer(e.node, access);
  const relinked = await waitForReplicas(j, e.node, access);
  return `${addr(e.node)} answers again (${((Date.now() - e.at) / 1000).toFixed(1)} s after it was crashed); ${relinked}`;
}

/**
 * Every node that is a master now: those of the journal's topology that say so, and the
 * sentinels' answer. Right after a failover the promoted replica says master before Sentinel
 * switches, and the old master still says master until Sentinel demotes it: both count.
 */
export async function mastersNow(j: JournalFile, access: RestoreAccess): Promise<NodeAddress[]> {
  const topo = j.topology;
  if (!topo) return [];
  const found = new Map<string, NodeAddress>();
  for (const n of topo.nodes) {
    const info = await withClient(n, access.auth, access.timeoutMs, (r) => r.info("replication")).catch(() => null);
    if (info !== null && parseInfo(info).role === "master") found.set(addr(n), n);
  }
  for (const s of topo.sentinels) {
    const answer = await withClient(s, access.sentinelAuth ?? access.auth, access.timeoutMs, (r) =>
      r.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", topo.masterName),
    ).catch(() => null);
    if (!Array.isArray(answer)) continue;
    const n = { host: String(answer[0]), port: Number(answer[1]) };
    if (![...found.values()].some((m) => sameNode(m, n))) found.set(addr(n), n);
    break;
  }
  return [...found.values()];
}

/** Undoes a data entry where it was written and on every other master now; a demoted node's copy follows its master. */
async function undoData(e: DataEntry, access: RestoreAccess, masters: NodeAddress[]): Promise<string> {
  const others = masters.filter((m) => !sameNode(m, e.node));
  const lines: string[] = [];
  try {
    lines.push(await undoOn(e, e.node, access.auth, access.timeoutMs));
  } catch (err) {
    if (!/READONLY/.test((err as Error).message)) throw err;
    if (!others.length) {
      const m = await masterOf(e.node, access.auth, access.timeoutMs);
      if (!m) throw err;
      others.push(m);
    }
  }
  for (const m of others) lines.push(`${await undoOn(e, m, access.auth, access.timeoutMs)} (master since a failover during the run)`);
  return lines.join("; ");
}

/** The master a replica follows, from its own INFO (when the sentinels could not be asked). */
async function masterOf(node: NodeAddress, auth: ConnectionAuth, timeoutMs: number): Promise<NodeAddress | null> {
  const { masterAddr } = parseInfo(await withClient(node, auth, timeoutMs, (r) => r.info("replication")));
  const m = masterAddr ? /^(.+):(\d+)$/.exec(masterAddr) : null;
  return m ? { host: m[1], port: Number(m[2]) } : null;
}

async function undoOn(e: JournalEntry, node: NodeAddress, auth: ConnectionAuth, timeoutMs: number): Promise<string> {
  return withClient(node, auth, timeoutMs, async (r) => {
    switch (e.kind) {
      case "config":
        await r.call("CONFIG", "SET", e.name, e.original);
        return `CONFIG SET ${e.name} ${e.original} on ${addr(node)}`;
      case "filler":
        return `${await unlinkMatching(r, e.pattern)} filler keys (${e.pattern}) deleted on ${addr(node)}`;
      case "marker":
        // Left as it was found: the run only re-creates what its own pressure evicted.
        if (e.original === null) await r.unlink(e.key);
        else await r.set(e.key, e.original);
        return `${e.key} as found on ${addr(node)}`;
      case "lock":
        await releaseLock(r, e.runId);
        return `${e.key} released on ${addr(node)}`;
      default:
        return `${e.kind} on ${addr(node)}: nothing to send`;
    }
  });
}

export async function restoreJournal(journal: JournalFile, access: RestoreAccess): Promise<{ done: string[]; failed: string[] }> {
  const done: string[] = [];
  const failed: string[] = [];
  // Looked up once the pauses are over (they are the newest entries, undone first): a paused node answers nothing.
  let masters: NodeAddress[] | null = null;
  for (const e of [...journal.entries].reverse()) {
    try {
      if (e.kind === "pause") done.push(await waitForPause(e));
      else if (e.kind === "restart") done.push(await waitForRestart(e, journal, access));
      else if (isData(e)) done.push(await undoData(e, access, (masters ??= await mastersNow(journal, access))));
      else done.push(await undoOn(e, e.node, access.auth, access.timeoutMs));
    } catch (err) {
      failed.push(`${e.kind} on ${addr(e.node)}: ${(err as Error).message}`);
    }
  }
  const moved = failoverDuring(journal, masters ?? []);
  if (moved) done.unshift(moved);
  return { done, failed };
}

/** "Sentinel failed over during the run: …" when the master the run began on is no longer the only master. */
export function failoverDuring(journal: JournalFile, masters: NodeAddress[]): string | null {
  const first = journal.entries.find((e) => e.kind === "lock")?.node;
  if (!first || !masters.length) return null;
  const others = masters.filter((m) => !sameNode(m, first));
  if (!others.length) return null;
  return `Sentinel failed over during the run: the master was ${addr(first)}, now ${others.map(addr).join(", ")} (the run's keys were cleaned on both)`;
}

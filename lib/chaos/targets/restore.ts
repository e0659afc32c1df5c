import "server-only";
/**
 * Undoes a fault journal, newest entry first, on fresh connections with the chaos credential.
 * Used at the end of every run and, on start, for a journal a dead console left behind. Every
 * entry is tried even when one fails; the failures are returned, never swallowed.
 */
import type { ConnectionAuth } from "../../redis/connection-auth";
import type { JournalEntry, JournalFile, NodeAddress } from "../journal";
import { addr, withClient } from "./connect";
import { releaseLock } from "./opt-in";

/** The longest a restore waits for a pause to end by itself (a pause is the run's window, so this is a bound, not a wait). */
const MAX_PAUSE_WAIT_MS = 130_000;

async function undo(e: JournalEntry, auth: ConnectionAuth, timeoutMs: number): Promise<string> {
  if (e.kind === "pause") {
    // Under CLIENT PAUSE ALL a new connection cannot even AUTH, so a console that lost its own
    // connection waits for Redis to lift the pause itself, at the end of the run's window.
    const left = e.untilMs - Date.now();
    if (left > 0) await new Promise((r) => setTimeout(r, Math.min(left + 100, MAX_PAUSE_WAIT_MS)));
    return `pause on ${addr(e.node)} over (${left > 0 ? `lifted by Redis after ${Math.ceil(left / 1000)} s` : "already lifted"})`;
  }
  try {
    return await undoOn(e, e.node, auth, timeoutMs);
  } catch (err) {
    // A failover during the run: the run's keys (lock, marker, filler) moved with the data to the new master.
    const moved = /READONLY/.test((err as Error).message) && e.kind !== "config" ? await masterOf(e.node, auth, timeoutMs) : null;
    if (!moved) throw err;
    return undoOn(e, moved, auth, timeoutMs);
  }
}

async function masterOf(node: NodeAddress, auth: ConnectionAuth, timeoutMs: number): Promise<NodeAddress | null> {
  const info = await withClient(node, auth, timeoutMs, (r) => r.info("replication"));
  const host = info.match(/^master_host:(.*)$/m)?.[1].trim();
  const port = Number(info.match(/^master_port:(.*)$/m)?.[1]);
  return host && port ? { host, port } : null;
}

async function undoOn(e: JournalEntry, node: NodeAddress, auth: ConnectionAuth, timeoutMs: number): Promise<string> {
  return withClient(node, auth, timeoutMs, async (r) => {
    switch (e.kind) {
      case "config":
        await r.call("CONFIG", "SET", e.name, e.original);
        return `CONFIG SET ${e.name} ${e.original} on ${addr(e.node)}`;
      case "filler": {
        let cursor = "0";
        let n = 0;
        do {
          const [next, keys] = (await r.scan(cursor, "MATCH", e.pattern, "COUNT", 500)) as [string, string[]];
          cursor = next;
          if (keys.length) n += await r.unlink(...keys);
        } while (cursor !== "0");
        return `${n} filler keys (${e.pattern}) deleted on ${addr(e.node)}`;
      }
      case "marker":
        // Left as it was found: the run only re-creates what its own pressure evicted.
        if (e.original === null) await r.unlink(e.key);
        else await r.set(e.key, e.original);
        return `${e.key} as found on ${addr(e.node)}`;
      case "lock":
        await releaseLock(r, e.runId);
        return `${e.key} released on ${addr(node)}`;
      default:
        return `pause on ${addr(node)}: nothing to send`;
    }
  });
}

export async function restoreJournal(journal: JournalFile, auth: ConnectionAuth, timeoutMs: number): Promise<{ done: string[]; failed: string[] }> {
  const done: string[] = [];
  const failed: string[] = [];
  for (const e of [...journal.entries].reverse()) {
    try {
      done.push(await undo(e, auth, timeoutMs));
    } catch (err) {
      failed.push(`${e.kind} on ${addr(e.node)}: ${(err as Error).message}`);
    }
  }
  return { done, failed };
}

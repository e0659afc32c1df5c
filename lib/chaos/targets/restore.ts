import "server-only";
/**
 * Undoes a fault journal, newest entry first, on fresh connections with the chaos credential.
 * Used at the end of every run and, on start, for a journal a dead console left behind. Every
 * entry is tried even when one fails; the failures are returned, never swallowed.
 */
import type { ConnectionAuth } from "../../redis/connection-auth";
import type { JournalEntry, JournalFile } from "../journal";
import { addr, withClient } from "./connect";
import { releaseLock } from "./opt-in";

async function undo(e: JournalEntry, auth: ConnectionAuth, timeoutMs: number): Promise<string> {
  return withClient(e.node, auth, timeoutMs, async (r) => {
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
      case "pause":
        await r.call("CLIENT", "UNPAUSE");
        return `CLIENT UNPAUSE on ${addr(e.node)}`;
      case "marker":
        // Left as it was found: the run only re-creates what its own pressure evicted.
        if (e.original === null) await r.unlink(e.key);
        else await r.set(e.key, e.original);
        return `${e.key} as found on ${addr(e.node)}`;
      case "lock":
        await releaseLock(r, e.runId);
        return `${e.key} released on ${addr(e.node)}`;
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

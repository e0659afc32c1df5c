/** Facts scenarios read from the console's snapshots: who is master, what Sentinel noticed, how the layers fared. Pure. */
import { LAYER_IDS, type LayerId } from "../../contract/failure-contract";
import type { Snapshot } from "../../snapshot/types";
import { formatSeconds } from "../format";
import { secondsBetween } from "../scenario";

export interface MasterRef {
  /** The devstack's node name, which the control API addresses (`/nodes/:name/...`). */
  id: string;
  addr: string;
}

/** The one node answering as master, cross-checked with the sentinels' view when they have one. */
export function currentMaster(s: Snapshot): MasterRef {
  const masters = s.redis.nodes.filter((n) => n.up && n.role === "master");
  const agreed = s.sentinel.master.addr;
  const node = masters.find((n) => n.addr === agreed) ?? (masters.length === 1 ? masters[0] : undefined);
  if (!node)
    throw new Error(masters.length ? `${masters.length} nodes answer as master and the sentinels name ${agreed ?? "none"}` : "no node answers as master");
  return { id: node.id, addr: node.addr };
}

/** Sentinel names another master than `oldAddr` (and can see at all). */
export function masterSwitched(s: Snapshot, oldAddr: string): boolean {
  return !s.sentinel.blind && !!s.sentinel.master.addr && s.sentinel.master.addr !== oldAddr;
}

/** The sentinels flag the master down (s_down, o_down) or have a failover under way. */
export function sentinelNoticed(s: Snapshot): boolean {
  return s.sentinel.failoverInProgress || s.sentinel.master.flags.some((f) => f === "s_down" || f === "o_down" || f.startsWith("failover"));
}

/** Someone has seen the old master fail: the sentinels, the console (the node stopped answering), or a switch. */
export function failureNoticed(s: Snapshot, old: MasterRef): boolean {
  return sentinelNoticed(s) || s.redis.nodes.some((n) => n.id === old.id && !n.up) || masterSwitched(s, old.addr);
}

/** Every layer answers ok. */
export function allLayersOk(s: Snapshot): boolean {
  return s.layers.length > 0 && s.layers.every((l) => l.status === "ok");
}

/** The status each layer showed most often among `snapshots`, e.g. "L1 ok, L2 ok, L3 unavailable, CP ok". */
export function typicalStatuses(snapshots: Snapshot[]): string {
  return LAYER_IDS.map((id) => {
    const counts = new Map<string, number>();
    for (const s of snapshots) {
      const st = s.layers.find((l) => l.id === id)?.status ?? "unknown";
      counts.set(st, (counts.get(st) ?? 0) + 1);
    }
    return `${id} ${[...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "unseen"}`;
  }).join(", ");
}

/** When a layer was last seen failing and then first seen ok (epoch ms), among time-ordered snapshots. */
export function recoveryBracket(snapshots: Snapshot[], id: LayerId): { lastFailing: number | null; firstOk: number | null } {
  let lastFailing: number | null = null;
  for (const s of snapshots) {
    const status = s.layers.find((l) => l.id === id)?.status;
    if (status === "ok") return { lastFailing, firstOk: Date.parse(s.at) };
    lastFailing = Date.parse(s.at);
  }
  return { lastFailing, firstOk: null };
}

/** "ok after 2.1 s (still failing at 1.1 s)": the recovery time between two ticks, from `from` (epoch ms). */
export function describeRecovery(b: { lastFailing: number | null; firstOk: number | null }, from: number): string {
  if (b.firstOk === null) return "not ok again";
  return `ok after ${formatSeconds(secondsBetween(from, b.firstOk))}${b.lastFailing !== null ? ` (still failing at ${formatSeconds(secondsBetween(from, b.lastFailing))})` : " (first look)"}`;
}

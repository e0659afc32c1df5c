import "server-only";
/**
 * Judging a failover run whose layers' address is pinned to the old master (the platform's
 * documented setup). Right after the switch the old master may still accept writes (Sentinel
 * reconfigures it seconds later), so "ok at the first look" is not recovery: each layer is
 * followed through the run's whole window — when it began failing, whether it was still failing
 * at the end, which Redis errors it saw — and it follows the failover only if it ends ok with its
 * address on the new master.
 */
import { LAYER_IDS, type LayerId } from "../../contract/failure-contract";
import type { Snapshot } from "../../snapshot/types";
import { formatSeconds } from "../format";
import type { RunContext } from "../run-context";
import { secondsBetween } from "../scenario";
import { redisErrorsLine } from "./addressing";
import type { TrafficStats } from "./workloads";

/** The run's window after the switch: long enough for the old master to rejoin as a replica (~10 s) and answer READONLY. */
export const PINNED_WINDOW_MS = 25_000;
const FOLLOW_BOUND_S = 10;

export interface PinnedCourse {
  firstFailing: number | null;
  lastFailing: number | null;
  /** The layer's status at the window's last look. */
  endOk: boolean | null;
  /** The first ok after the last failure, when the window ended ok. */
  recoveredAt: number | null;
}

/** One layer's course through the snapshots (in order). Pure. */
export function pinnedCourse(snapshots: Snapshot[], id: LayerId): PinnedCourse {
  let firstFailing: number | null = null;
  let lastFailing: number | null = null;
  let recoveredAt: number | null = null;
  let endOk: boolean | null = null;
  for (const s of snapshots) {
    const at = Date.parse(s.at);
    const ok = s.layers.find((l) => l.id === id)?.status === "ok";
    if (!ok) {
      firstFailing ??= at;
      lastFailing = at;
      recoveredAt = null;
    } else if (lastFailing !== null && recoveredAt === null) recoveredAt = at;
    endOk = ok;
  }
  return { firstFailing, lastFailing, endOk, recoveredAt: endOk ? recoveredAt : null };
}

export interface PinnedFacts {
  switched: { addr: string | null; t: number } | null;
  afterSwitch: Snapshot[];
  stats: TrafficStats;
  /** Where the layers' address led at the window's end (GET /proxy/addressing pinnedTo), null when following. */
  pinnedTo: string | null;
}

/** Each layer's check on "clients follow a failover with the platform's setup", and its metrics. */
export function judgePinned(ctx: RunContext<{ addressing: "sandbox" | "follow" | "pinned" }>, { switched, afterSwitch, stats, pinnedTo }: PinnedFacts): void {
  const onNewMaster = !!switched && (pinnedTo === null || pinnedTo === switched.addr);
  for (const id of LAYER_IDS) {
    const c = pinnedCourse(afterSwitch, id);
    const rel = (t: number | null) => (switched && t !== null ? secondsBetween(switched.t, t) : null);
    const recovered = rel(c.recoveredAt);
    ctx.metric(`failing_from_${id}_s`, rel(c.firstFailing));
    ctx.metric(`failing_until_${id}_s`, rel(c.lastFailing));
    ctx.metric(`recovery_${id}_s`, c.endOk && onNewMaster ? (recovered ?? 0) : null);
    ctx.metric(`redis_errors_${id}`, redisErrorsLine(stats.layers[id]));
    const errors = redisErrorsLine(stats.layers[id]) ?? "none named";
    const failed = `${stats.layers[id]?.errors ?? "?"} of ${stats.layers[id]?.requests ?? "?"} requests failed`;
    const course =
      c.firstFailing === null
        ? "ok at every look"
        : c.endOk
          ? `failed from ${formatSeconds(rel(c.firstFailing))} to ${formatSeconds(rel(c.lastFailing))} after the switch, then ok`
          : `failing from ${formatSeconds(rel(c.firstFailing))} after the switch to the end of the run's ${PINNED_WINDOW_MS / 1000} s window, never recovered`;
    const address = onNewMaster ? "" : `; its address still leads to ${pinnedTo}, not the new master ${switched?.addr ?? "?"}`;
    const check = {
      claim: "failover-pinned-clients" as const,
      layer: id,
      expect: `${id}, on an address pinned to the old master, ok on the new master within ${FOLLOW_BOUND_S} s of the switch`,
      observed: !switched ? "no switch happened" : `${course}${address}; Redis errors: ${errors}; ${failed}`,
    };
    if (!switched) ctx.check({ ...check, notExercised: "Sentinel promoted no new master, so whether pinned clients follow could not be seen" });
    else if (!ctx.hasLayer(id)) ctx.check({ ...check, notExercised: `${id} is not in the console's configuration` });
    else ctx.check({ ...check, ok: !!c.endOk && onNewMaster && (recovered === null || recovered <= FOLLOW_BOUND_S) });
  }
}

import "server-only";
/**
 * A shard's promotion as the run's own ~100 ms poll of the nodes sees it: when some node first
 * flagged the old master FAIL, when the replica first reported itself master, and when every
 * answering node said cluster_state:ok again after that. Times are epoch ms.
 */
import type { ClusterStage, ClusterRunContext } from "./cluster-stage";
import { everyAnsweringOk, flaggedAs, ownMaster, ownRole, type ClusterLook } from "./shard-map";

export interface Promotion {
  /** The replica that took the slots, or null when none did in time. */
  promoted: string | null;
  failFlaggedAt: number | null;
  promotedAt: number | null;
  okAt: number | null;
  /** When no promotion was seen: what the replicas said of themselves last, and how many looks the poll took. */
  lastSeen?: string;
}

/** "node-4 says replica of node-1 (cluster_state ok)", or why it did not answer. */
function ownWords(look: ClusterLook | undefined, name: string): string {
  const n = look?.nodes.find((x) => x.name === name);
  if (!n) return `${name}: no look`;
  if (!n.answering) return `${name} did not answer (${n.error})`;
  const master = ownMaster(look!, name);
  return `${name} says ${n.myself?.role ?? "nothing of itself"}${master ? ` of ${master}` : ""} (cluster_state ${n.state})`;
}

/** Waits for one of the shard's replicas to report itself master and for cluster_state ok everywhere after it. */
export async function watchPromotion(ctx: ClusterRunContext<unknown>, stage: ClusterStage, since: number, timeoutMs: number): Promise<Promotion> {
  const { master, replicas } = stage.target;
  const promotedIn = (look: Parameters<typeof ownRole>[0]) => replicas.find((r) => ownRole(look, r) === "master") ?? null;
  const deadline = Date.now() + timeoutMs;
  const promotedLook =
    stage.poll.firstSince(since, (l) => promotedIn(l) !== null) ?? (await stage.poll.until((l) => promotedIn(l) !== null, timeoutMs, ctx.signal));
  const failLook = stage.poll.firstSince(since, (l) => flaggedAs(l, master) === "fail");
  if (!promotedLook) {
    const last = stage.poll.looks[stage.poll.looks.length - 1];
    const lastSeen = `${replicas.map((r) => ownWords(last, r)).join("; ")}; ${stage.poll.looks.filter((l) => l.at >= since).length} looks since the fault`;
    return { promoted: null, failFlaggedAt: failLook?.at ?? null, promotedAt: null, okAt: null, lastSeen };
  }
  const okAfter = (l: Parameters<typeof everyAnsweringOk>[0]) => l.at >= promotedLook.at && everyAnsweringOk(l);
  const okLook = stage.poll.firstSince(promotedLook.at, okAfter) ?? (await stage.poll.until(okAfter, Math.max(0, deadline - Date.now()), ctx.signal));
  return { promoted: promotedIn(promotedLook), failFlaggedAt: failLook?.at ?? null, promotedAt: promotedLook.at, okAt: okLook?.at ?? null };
}

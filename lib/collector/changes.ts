/**
 * What changed between two snapshots, as timeline entries: the incident's story is the list of
 * state changes, each with its time and cause. Pure.
 */
import { FAILURE_CONTRACT } from "../contract/failure-contract";
import { CONFIG_PROBLEMS } from "../redis/connection-error";
import type { Snapshot } from "../snapshot/types";
import type { TimelineEvent } from "../timeline/types";

export type TimelineInput = Omit<TimelineEvent, "id" | "at">;

/**
 * A node or sentinel the console cannot use for a reason of configuration (TLS, password, ACL):
 * its own entry, with the sentence, whenever that reason appears or changes — also at the first
 * look, when there is no earlier state to differ from.
 */
export function connectionProblems(prev: Snapshot | null, next: Snapshot): TimelineInput[] {
  const out: TimelineInput[] = [];
  const items = [
    ...next.redis.nodes.map((n) => ({ n, p: prev?.redis.nodes.find((x) => x.id === n.id), what: "node" })),
    ...next.sentinel.sentinels.map((n) => ({ n, p: prev?.sentinel.sentinels.find((x) => x.id === n.id), what: "sentinel" })),
  ];
  for (const { n, p, what } of items) {
    if (n.up || !n.problem || !CONFIG_PROBLEMS.has(n.problem)) continue;
    if (p && !p.up && p.error === n.error) continue;
    out.push({
      kind: what === "node" ? "redis" : "sentinel",
      severity: "page",
      subject: n.id,
      title: `${n.id}: ${n.error}`,
      detail: `the console cannot watch this ${what} until this is fixed; it is not necessarily down`,
    });
  }
  return out;
}

export function diffSnapshots(prev: Snapshot, next: Snapshot): TimelineInput[] {
  const out: TimelineInput[] = connectionProblems(prev, next);

  if (prev.redis.available !== next.redis.available && next.redis.available !== null) {
    out.push(
      next.redis.available
        ? { kind: "redis", severity: "info", title: "Redis reachable for the layers again", detail: next.redis.availabilityDetail }
        : { kind: "redis", severity: "page", title: "Redis unreachable for the layers", detail: next.redis.availabilityDetail },
    );
  }

  const pa = prev.redis.layerAddress?.state;
  const na = next.redis.layerAddress;
  if (na && pa && pa !== na.state && (na.state === "replica" || pa === "replica")) {
    out.push(
      na.state === "replica"
        ? { kind: "redis", severity: "page", title: "The layers' Redis address points to a replica: writes fail with READONLY", detail: na.detail }
        : { kind: "redis", severity: "info", title: "The layers' Redis address points to the master again", detail: na.detail },
    );
  }

  for (const n of next.redis.nodes) {
    const p = prev.redis.nodes.find((x) => x.id === n.id);
    if (!p) continue;
    if (p.up && !n.up && !(n.problem && CONFIG_PROBLEMS.has(n.problem)))
      out.push({ kind: "redis", severity: "page", subject: n.id, title: `${n.id} (${p.role}) down`, detail: n.error });
    else if (!p.up && n.up) out.push({ kind: "redis", severity: "info", subject: n.id, title: `${n.id} back up as ${n.role}` });
    else if (p.up && n.up && p.role !== n.role && n.role !== "unknown") {
      out.push({
        kind: "redis",
        severity: "warn",
        subject: n.id,
        title: `${n.id} is now ${n.role} (was ${p.role})`,
        detail: n.role === "replica" && n.masterAddr ? `replicating from ${n.masterAddr}` : undefined,
      });
    }
  }

  for (const l of next.layers) {
    const p = prev.layers.find((x) => x.id === l.id);
    if (!p) continue;
    if (p.status !== l.status && l.status !== "unknown") {
      const severity = l.status === "unavailable" ? "page" : l.status === "degraded" ? "warn" : "info";
      // The contract's tenant impact describes the layer in its outage state; a layer in another
      // state (L1 failing closed: unavailable) does something else, so it is not claimed for it.
      const impact = l.status === FAILURE_CONTRACT[l.id].statusDuringOutage ? ` ${FAILURE_CONTRACT[l.id].tenantImpact}` : "";
      out.push({ kind: "layer", severity, subject: l.id, title: `${l.id} ${l.status} (was ${p.status})`, detail: `${l.summary}.${impact}` });
    }
    if (!p.violation && l.violation) {
      const failed = l.checks
        .filter((c) => !c.ok)
        .map((c) => `expected ${c.expect}, saw ${c.observed}`)
        .join("; ");
      out.push({
        kind: "layer",
        severity: "page",
        subject: l.id,
        title: `${l.id} breaks its failure contract`,
        detail: failed || `expected ${l.expected}, is ${l.status}`,
      });
    } else if (p.violation && !l.violation) {
      out.push({ kind: "layer", severity: "info", subject: l.id, title: `${l.id} keeps its contract again` });
    }
  }

  const ps = prev.sentinel;
  const ns = next.sentinel;
  // The sentinels' own +switch-master already told this story (with who reported it); this is the fallback when events were missed.
  const announced = ns.history?.some((r) => r.newMaster === ns.master.addr && Date.parse(next.at) - Date.parse(r.endedAt) < 30_000) ?? false;
  if (ps.master.addr && ns.master.addr && ps.master.addr !== ns.master.addr && !ns.blind && !ps.blind && !announced) {
    out.push({ kind: "sentinel", severity: "warn", title: `Sentinel: master is now ${ns.master.addr} (was ${ps.master.addr})` });
  }
  for (const s of ns.sentinels) {
    const p = ps.sentinels.find((x) => x.id === s.id);
    if (p?.up && !s.up && !(s.problem && CONFIG_PROBLEMS.has(s.problem)))
      out.push({ kind: "sentinel", severity: "warn", subject: s.id, title: `${s.id} not answering`, detail: s.error });
    if (p && !p.up && s.up) out.push({ kind: "sentinel", severity: "info", subject: s.id, title: `${s.id} answering again` });
  }
  if (!ps.blind && ns.blind)
    out.push({
      kind: "sentinel",
      severity: "page",
      title: "Sentinel is blind: no sentinel answers",
      detail: "Master taken from the nodes' own INFO replication; no automatic failover is possible.",
    });
  if (ps.blind && !ns.blind) out.push({ kind: "sentinel", severity: "info", title: "Sentinels answering again" });
  if (!ps.splitView && ns.splitView) {
    out.push({
      kind: "sentinel",
      severity: "page",
      title: "Sentinels disagree about the master",
      detail: ns.sentinels.map((s) => `${s.id} → ${s.masterAddr ?? "?"}`).join(", "),
    });
  }
  return out;
}

/**
 * `next` with what it could not tell (a layer "unknown": its probe clipped by its deadline;
 * Redis's availability null) taken from `known`, the last look that could. The timeline diffs
 * against it, so a look that could not tell is not a change: ok → unknown → unavailable is
 * "unavailable (was ok)", and ok → unknown → ok is nothing. Only the status is carried: a
 * layer's violation is what this look judged.
 */
export function carryKnown(known: Snapshot | null, next: Snapshot): Snapshot {
  if (!known) return next;
  const layers = next.layers.map((l) => {
    const k = l.status === "unknown" ? known.layers.find((x) => x.id === l.id) : undefined;
    return k ? { ...l, status: k.status } : l;
  });
  const available = next.redis.available ?? known.redis.available;
  return { ...next, layers, redis: { ...next.redis, available } };
}

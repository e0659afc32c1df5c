/**
 * One deployment as the fleet view shows it: its Redis (master answering, failover, nodes down),
 * its layers, its firing alerts by severity and its open incident, reduced to a state and the one
 * reason for it, so a hundred deployments sort worst first. Pure and client-safe: names and
 * statuses only, never an address.
 */
import type { LayerId, LayerStatus } from "../contract/failure-contract";
import type { Snapshot } from "../snapshot/types";

/** Worst first: page (people must act), warn, unknown (not seen yet), ok. */
export type FleetState = "page" | "warn" | "unknown" | "ok";
export const FLEET_STATES: FleetState[] = ["page", "warn", "unknown", "ok"];
const RANK: Record<FleetState, number> = { page: 3, warn: 2, unknown: 1, ok: 0 };

export interface FleetIncident {
  id: string;
  title: string;
  severity: "page" | "warn" | "info";
  startedAt: string;
  drill: boolean;
}

export interface FleetRow {
  name: string;
  source: "devstack" | "external";
  state: FleetState;
  /** Why the row has its state, most serious cause first (empty when ok). */
  reasons: string[];
  /** When this deployment's collector last looked (ISO). */
  at: string;
  redis: {
    masterUp: boolean | null;
    /** The node answering as master (an id from the config, not an address). */
    master: string | null;
    failoverInProgress: boolean;
    nodes: number;
    nodesDown: number;
    cluster: boolean;
  };
  layers: { id: LayerId; status: LayerStatus; violation: boolean }[];
  alerts: { page: string[]; warn: string[]; info: string[] };
  incident: FleetIncident | null;
}

export interface FleetPayload {
  at: string;
  rows: FleetRow[];
  /** Where the open incidents came from: the store every replica shares, or this replica's memory. */
  source: "store" | "memory";
}

/** The row of one deployment from its current snapshot and open incident. */
export function fleetRow(name: string, s: Snapshot, incident: FleetIncident | null): FleetRow {
  const firing = s.alerts.filter((a) => a.firing);
  const alerts = {
    page: firing.filter((a) => a.severity === "page").map((a) => a.rule),
    warn: firing.filter((a) => a.severity === "warn").map((a) => a.rule),
    info: firing.filter((a) => a.severity === "info").map((a) => a.rule),
  };
  const master = s.redis.nodes.find((n) => n.up && n.role === "master") ?? null;
  const nodesDown = s.redis.nodes.filter((n) => !n.up).length;
  const looked = s.seq > 0 && s.redis.nodes.length > 0;
  const redis = {
    masterUp: looked ? master !== null || (s.cluster ? s.cluster.state === "ok" : false) : null,
    master: master?.id ?? null,
    failoverInProgress: s.sentinel.failoverInProgress || s.sentinel.failover?.active === true,
    nodes: s.redis.nodes.length,
    nodesDown,
    cluster: !!s.cluster,
  };
  const layers = s.layers.map((l) => ({ id: l.id, status: l.status, violation: l.violation }));
  const page: string[] = [];
  const warn: string[] = [];
  if (looked && !s.warmingUp) {
    if (redis.masterUp === false) page.push("no master answers");
    for (const l of layers) if (l.violation) page.push(`${l.id} breaks its contract`);
    for (const l of layers) if (l.status === "unavailable" && !l.violation) page.push(`${l.id} unavailable`);
    if (alerts.page.length) page.push(`paging: ${alerts.page.join(", ")}`);
    if (redis.failoverInProgress) warn.push("failover in progress");
    if (nodesDown > 0) warn.push(`${nodesDown} of ${redis.nodes} nodes down`);
    for (const l of layers) if (l.status === "degraded" && !l.violation) warn.push(`${l.id} degraded`);
    if (alerts.warn.length) warn.push(`warning: ${alerts.warn.join(", ")}`);
    if (incident && !page.length && !warn.length) warn.push("incident settling");
  }
  const state: FleetState = !looked || s.warmingUp ? "unknown" : page.length ? "page" : warn.length ? "warn" : "ok";
  const reasons = state === "unknown" ? [looked ? "the console is warming up" : "not looked at yet"] : [...page, ...warn];
  return { name, source: s.deployment.source, state, reasons, at: s.at, redis, layers, alerts, incident };
}

/** Worst first: state, then how many causes, then the oldest open incident, then the name. */
export function sortWorstFirst(rows: FleetRow[]): FleetRow[] {
  return [...rows].sort(
    (a, b) =>
      RANK[b.state] - RANK[a.state] ||
      b.reasons.length - a.reasons.length ||
      (a.incident?.startedAt ?? "~").localeCompare(b.incident?.startedAt ?? "~") ||
      a.name.localeCompare(b.name),
  );
}

export interface FleetFilter {
  /** Part of the deployment's name, any case. */
  q?: string;
  /** Only rows in these states (empty or absent: all). */
  states?: FleetState[];
}

export function matchesFleetFilter(row: FleetRow, f: FleetFilter): boolean {
  if (f.q && !row.name.toLowerCase().includes(f.q.trim().toLowerCase())) return false;
  return !f.states?.length || f.states.includes(row.state);
}

/** How many rows are in each state (the filter's counts). */
export function countByState(rows: FleetRow[]): Record<FleetState, number> {
  const out: Record<FleetState, number> = { page: 0, warn: 0, unknown: 0, ok: 0 };
  for (const r of rows) out[r.state]++;
  return out;
}

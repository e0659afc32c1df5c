import { describe, expect, it } from "vitest";
import type { AlertState, NodeSnapshot, Snapshot } from "../snapshot/types";
import { countByState, fleetRow, matchesFleetFilter, sortWorstFirst, type FleetIncident } from "./fleet-row";

const node = (id: string, role: NodeSnapshot["role"], up = true) => ({ id, role, up, addr: `10.0.0.1:${id}` }) as NodeSnapshot;
const alert = (rule: string, severity: AlertState["severity"], firing = true): AlertState => ({
  rule,
  severity,
  firing,
  since: null,
  summary: "",
  value: null,
});

function snap(
  extra: { nodes?: NodeSnapshot[]; layers?: [string, string, boolean?][]; alerts?: AlertState[]; failover?: boolean; seq?: number; warmingUp?: boolean } = {},
): Snapshot {
  return {
    at: "2026-12-06T10:00:00.000Z",
    seq: extra.seq ?? 5,
    deployment: { name: "x", source: "external", readOnly: true, chaosRefusal: null },
    tick: { ms: 1000, durationMs: 1, cause: "schedule", lookStartedAt: null },
    thresholds: { memoryUsedRatio: 0.8 },
    redis: { available: true, availabilityDetail: "", nodes: extra.nodes ?? [node("a", "master"), node("b", "replica")] },
    layers: (extra.layers ?? [["L1", "ok"]]).map(([id, status, violation]) => ({ id, status, violation: !!violation })) as Snapshot["layers"],
    sentinel: { failoverInProgress: !!extra.failover } as Snapshot["sentinel"],
    alerts: extra.alerts ?? [alert("redis_up", "page", false)],
    ...(extra.warmingUp ? { warmingUp: true } : {}),
  };
}

describe("fleetRow", () => {
  it("is ok with nothing wrong, and never carries an address", () => {
    const r = fleetRow("eu-1", snap(), null);
    expect(r).toMatchObject({ name: "eu-1", state: "ok", reasons: [], redis: { masterUp: true, master: "a", nodes: 2, nodesDown: 0 } });
    expect(JSON.stringify(r)).not.toContain("10.0.0.1");
  });

  it("pages on no master, a broken contract, an unavailable layer or a page alert, most serious first", () => {
    const r = fleetRow(
      "eu-2",
      snap({
        nodes: [node("a", "master", false), node("b", "replica")],
        layers: [
          ["L1", "degraded"],
          ["L3", "unavailable"],
        ],
        alerts: [alert("redis_up", "page")],
      }),
      null,
    );
    expect(r.state).toBe("page");
    expect(r.reasons).toEqual(["no master answers", "L3 unavailable", "paging: redis_up", "1 of 2 nodes down", "L1 degraded"]);
    expect(r.alerts).toEqual({ page: ["redis_up"], warn: [], info: [] });
  });

  it("warns on a failover in progress or a warn alert; an open incident alone says it is settling", () => {
    expect(fleetRow("a", snap({ failover: true }), null)).toMatchObject({ state: "warn", reasons: ["failover in progress"] });
    expect(fleetRow("a", snap({ alerts: [alert("redis_memory_used_ratio", "warn")] }), null).reasons).toEqual(["warning: redis_memory_used_ratio"]);
    const inc: FleetIncident = { id: "i", title: "L1 degraded", severity: "warn", startedAt: "2026-12-06T09:59:00.000Z", drill: false };
    expect(fleetRow("a", snap(), inc)).toMatchObject({ state: "warn", reasons: ["incident settling"], incident: inc });
  });

  it("is unknown before the first look and while the console warms up", () => {
    expect(fleetRow("a", snap({ seq: 0 }), null)).toMatchObject({ state: "unknown", reasons: ["not looked at yet"], redis: { masterUp: null } });
    expect(fleetRow("a", snap({ warmingUp: true, nodes: [node("a", "master", false)] }), null)).toMatchObject({ state: "unknown" });
  });
});

describe("sorting and filtering", () => {
  const rows = [
    fleetRow("ok-1", snap(), null),
    fleetRow("warn-1", snap({ failover: true }), null),
    fleetRow("page-1", snap({ layers: [["L3", "unavailable"]] }), null),
    fleetRow(
      "page-2",
      snap({
        layers: [
          ["L3", "unavailable"],
          ["L1", "unavailable"],
        ],
      }),
      null,
    ),
    fleetRow("new-1", snap({ seq: 0 }), null),
  ];
  it("puts the worst first: state, then the number of causes, then the name", () => {
    expect(sortWorstFirst(rows).map((r) => r.name)).toEqual(["page-2", "page-1", "warn-1", "new-1", "ok-1"]);
  });
  it("filters by part of the name and by state, and counts states", () => {
    expect(rows.filter((r) => matchesFleetFilter(r, { q: "PAGE" })).map((r) => r.name)).toEqual(["page-1", "page-2"]);
    expect(rows.filter((r) => matchesFleetFilter(r, { states: ["warn", "ok"] })).map((r) => r.name)).toEqual(["ok-1", "warn-1"]);
    expect(countByState(rows)).toEqual({ page: 2, warn: 1, unknown: 1, ok: 1 });
  });
});

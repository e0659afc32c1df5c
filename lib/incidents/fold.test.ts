import { describe, expect, it } from "vitest";
import type { TimelineEvent } from "../timeline/types";
import { endUnobserved, foldIncidents, openIncident } from "./fold";
import { incidentToMarkdown } from "./postmortem";
import type { IncidentInput, StateSample } from "./types";

const T0 = Date.parse("2026-12-01T10:00:00.000Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
let id = 0;
const ev = (s: number, e: Omit<TimelineEvent, "id" | "at">): IncidentInput => ({ type: "event", event: { id: ++id, at: at(s), ...e } });
const st = (s: number, l3: StateSample["layers"][number]["status"], extra: Partial<StateSample> = {}): IncidentInput => ({
  type: "state",
  state: {
    at: at(s),
    layers: [
      { id: "L1", status: l3 === "ok" ? "ok" : "degraded", violation: false },
      { id: "L3", status: l3, violation: false },
    ],
    firing: [],
    redisAvailable: l3 === "ok",
    nodesDown: l3 === "ok" ? [] : ["redis-a"],
    failovers: [],
    ...extra,
  },
});
const opts = { settleMs: 5000, max: 10 };
const sentinel = (s: number, title: string, type: string, by: string): IncidentInput =>
  ev(s, { kind: "sentinel", severity: type === "+odown" ? "page" : "info", title, detail: `reported by ${by} · ${type} master mymaster 127.0.0.1 1` });

describe("incident fold", () => {
  it("an outage opens one incident, charges each layer its time, closes after the settle period", () => {
    const inputs: IncidentInput[] = [
      st(0, "ok"),
      ev(1, { kind: "redis", severity: "page", subject: "redis-a", title: "redis-a (master) down", detail: "connection refused" }),
      st(1, "unavailable"),
      ev(1.5, { kind: "alert", severity: "page", subject: "redis_up", title: "Alert redis_up firing", detail: "redis-a down" }),
      st(2, "unavailable"),
      st(4, "unavailable"),
      ev(5, { kind: "redis", severity: "info", subject: "redis-a", title: "redis-a back up as master" }),
      ev(5, { kind: "alert", severity: "info", subject: "redis_up", title: "Alert redis_up resolved after 3.5 s" }),
      st(5, "ok"),
      st(8, "ok"),
    ];
    const s = foldIncidents(inputs, opts);
    expect(s.incidents).toHaveLength(1);
    expect(openIncident(s)).not.toBeNull();
    foldIncidents([st(10, "ok")], opts, s);
    const [inc] = s.incidents;
    expect(inc.state).toBe("closed");
    expect(inc.startedAt).toBe(at(1));
    expect(inc.noticedBy.title).toBe("redis-a (master) down");
    expect(inc.durationMs).toBe(4000);
    const l3 = inc.layers.find((l) => l.layer === "L3")!;
    expect(l3.worst).toBe("unavailable");
    expect(l3.ms.unavailable).toBe(4000);
    expect(inc.layers.find((l) => l.layer === "L1")!.ms.degraded).toBe(4000);
    expect(inc.alerts.map((a) => a.state)).toEqual(["fired", "resolved"]);
    expect(inc.moments.map((m) => m.title)).toEqual(["redis-a (master) down", "redis-a back up as master"]);
  });

  it("a chaos run opens its own drill, folds per-sentinel steps into one line, attaches the failover's phases", () => {
    const phases = [{ name: "detection" as const, from: "sdown" as const, to: "odown" as const, ms: 120 }];
    const s = foldIncidents(
      [
        st(0, "ok"),
        ev(1, { kind: "chaos", severity: "warn", subject: "run-1", title: "Chaos run failover started", detail: "{}" }),
        st(2, "ok"),
        sentinel(3, "Sentinel: master redis-a objectively down (quorum 2/2): failover will start", "+odown", "sentinel-1"),
        sentinel(4, "Sentinel failover: told replica redis-c to follow the new master", "+slave-reconf-sent", "sentinel-1"),
        sentinel(4.1, "Sentinel failover: told replica redis-d to follow the new master", "+slave-reconf-sent", "sentinel-1"),
        ev(5, {
          kind: "sentinel",
          severity: "warn",
          title: "Sentinel +switch-master: master is now redis-b (was redis-a)",
          detail: "reported by sentinel-1, sentinel-2 · +switch-master mymaster 1 2",
        }),
        st(6, "ok", { failovers: [{ id: "f1", endedAt: at(5), newMaster: "redis-b", durationMs: 2100, phases }] }),
        st(20, "ok"),
      ],
      opts,
    );
    expect(s.incidents).toHaveLength(1);
    const inc = s.incidents[0];
    expect(inc.drill).toBe(true);
    expect(inc.chaosRun).toBe("run-1");
    // The run is still going: the drill stays open even though everything is ok.
    expect(inc.state).toBe("open");
    expect(inc.details.filter((d) => d.key === "+slave-reconf-sent")).toEqual([expect.objectContaining({ count: 2 })]);
    const sw = inc.moments.find((m) => m.title.includes("+switch-master"))!;
    expect(sw.failoverMs).toBe(2100);
    expect(sw.phases).toEqual(phases);
    foldIncidents(
      [ev(21, { kind: "chaos", severity: "info", subject: "run-1", title: "Chaos run failover passed: 3 held" }), st(22, "ok"), st(28, "ok")],
      opts,
      s,
    );
    expect(inc.state).toBe("closed");
    expect(inc.durationMs).toBe(21_000);
    const md = incidentToMarkdown(inc, {
      deployment: "sandbox",
      generatedAt: at(30),
      drill: { scenario: "failover", state: "passed", checks: [{ expect: "a | b", observed: "<b>x</b>", verdict: "held" }] },
    });
    expect(md).toContain("# Drill");
    expect(md).toContain("(failover 2.1 s)");
    expect(md).toContain("  - detection: sdown → odown 0.1 s");
    expect(md).toContain("| a \\| b | &lt;b&gt;x&lt;/b&gt; | held |");
    expect(md).toContain("(×2)");
  });

  it("an open incident says since when everything is ok again while it settles, and forgets it when things go wrong again", () => {
    const s = foldIncidents([st(0, "ok"), st(1, "unavailable"), st(2, "ok"), st(3, "ok")], opts);
    expect(openIncident(s)).toMatchObject({ state: "open", recoveredAt: at(2), closedAt: null });
    foldIncidents([st(4, "unavailable")], opts, s);
    expect(openIncident(s)!.recoveredAt).toBeNull();
    foldIncidents([st(5, "ok"), st(9, "ok"), st(10, "ok")], opts, s);
    expect(s.incidents[0]).toMatchObject({ state: "closed", recoveredAt: at(5), closedAt: at(10), durationMs: 4000 });
  });

  it("a run's start that arrives after its effects (run on another replica) makes the incident they opened its drill", () => {
    const s = foldIncidents(
      [
        st(0, "ok"),
        st(1, "unavailable"),
        ev(1.2, { kind: "layer", severity: "page", subject: "L3", title: "L3 unavailable (was ok)" }),
        // Read from the store a second later, stamped when the other replica started the run.
        ev(0.5, { kind: "chaos", severity: "info", subject: "run-7", title: "Chaos run run-7 started" }),
        st(3, "unavailable"),
      ],
      opts,
    );
    expect(s.incidents).toHaveLength(1);
    expect(s.incidents[0]).toMatchObject({ drill: true, chaosRun: "run-7", startedAt: at(0.5), title: "Drill: Chaos run run-7 started", state: "open" });
    expect(s.chaosRunning).toBe("run-7");
  });

  it("an incident a stopped console left open continues after a short gap, and is closed at the last look after a long one", () => {
    const s = foldIncidents([st(0, "ok"), st(1, "unavailable"), st(2, "unavailable")], opts);
    expect(endUnobserved(s, at(2), at(60), 300_000)).toBeNull();
    expect(openIncident(s)).not.toBeNull();
    const ended = endUnobserved(s, at(2), at(3 * 3600), 300_000)!;
    expect(openIncident(s)).toBeNull();
    expect({ state: ended.state, recoveredAt: ended.recoveredAt, closedAt: ended.closedAt, durationMs: ended.durationMs }).toEqual({
      state: "closed",
      recoveredAt: at(2),
      closedAt: at(3 * 3600),
      durationMs: 1000,
    });
    expect(ended.details.at(-1)!.title).toMatch(/^The console stopped while this incident was open .* its end was not observed/);
    // The next fault is an incident of its own, not hours folded into the old one.
    foldIncidents([st(3 * 3600 + 1, "ok"), st(3 * 3600 + 2, "unavailable")], opts, s);
    expect(s.incidents).toHaveLength(2);
    expect(openIncident(s)!.startedAt).toBe(at(3 * 3600 + 2));
  });

  it("the console's first look opens nothing: an alert before any recorded state is what already was", () => {
    expect(
      foldIncidents([ev(0, { kind: "alert", severity: "page", subject: "redis_up", title: "Alert redis_up firing" }), st(0, "ok")], opts).incidents,
    ).toHaveLength(0);
  });

  it("a single info event opens nothing; a layer leaving ok does; bounded", () => {
    const s = foldIncidents([ev(0, { kind: "console", severity: "info", title: "Console started" }), st(0, "ok")], { settleMs: 0, max: 2 });
    expect(s.incidents).toHaveLength(0);
    for (let i = 1; i <= 3; i++) foldIncidents([st(i * 10, "degraded"), st(i * 10 + 1, "ok")], { settleMs: 0, max: 2 }, s);
    expect(s.incidents).toHaveLength(2);
    expect(s.incidents.every((i) => i.state === "closed" && i.durationMs === 1000)).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import type { Incident } from "../incidents/types";
import type { TimelineEvent } from "../timeline/types";
import { eventsToWrite, incidentsToWrite, spansToWrite } from "./handover";

const T0 = Date.parse("2026-12-06T12:00:00.000Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const ev = (id: number, s: number, title: string, subject?: string): TimelineEvent => ({ id, at: at(s), kind: "layer", severity: "warn", title, subject });

describe("eventsToWrite", () => {
  it("writes what the previous holder did not, once per sighting, nothing before `since`", () => {
    const stored = [ev(1, 10, "L1 degraded (was ok)", "L1"), ev(2, 12, "Alert redis_up resolved after 12 s", "redis_up")];
    const own = [
      ev(100, 5, "L3 unavailable (was ok)", "L3"), // before since: the previous holder's time
      ev(101, 10.4, "L1 degraded (was ok)", "L1"), // seen by both
      ev(102, 12.3, "Alert redis_up resolved after 13 s", "redis_up"), // same, numbers differ
      ev(103, 13, "L1 degraded (was ok)", "L1"), // a second flap: the stored one already answered for the first
      ev(104, 20, "L2 degraded (was ok)", "L2"), // after the holder died
    ];
    expect(eventsToWrite(own, stored, T0 + 8000).map((e) => e.id)).toEqual([103, 104]);
  });

  it("skips its own events already in the store (same id) and never matches past the window", () => {
    const stored = [ev(200, 10, "L1 ok (was degraded)", "L1")];
    const own = [ev(200, 10, "L1 ok (was degraded)", "L1"), ev(201, 16, "L1 ok (was degraded)", "L1")];
    expect(eventsToWrite(own, stored, 0).map((e) => e.id)).toEqual([201]);
  });
});

const inc = (id: string, start: number, end: number | null, drill: string | null = null): Incident =>
  ({
    id,
    drill: drill !== null,
    chaosRun: drill,
    startedAt: at(start),
    state: end === null ? "open" : "closed",
    closedAt: end === null ? null : at(end),
    recoveredAt: null,
  }) as Incident;

describe("incidentsToWrite", () => {
  it("continues the stored incident under its id when either side has it open", () => {
    const r = incidentsToWrite([inc("b-1", 3, null)], [inc("a-1", 2, null)], T0);
    expect(r.aliases).toEqual([["b-1", "a-1"]]);
    expect(r.write.map((i) => [i.id, i.state])).toEqual([["a-1", "open"]]);
  });

  it("leaves alone an incident both closed, writes one only this replica saw after `since`, and keeps drills apart", () => {
    const stored = [inc("a-1", 0, 30), inc("a-2", 100, 130, "run-1")];
    const local = [inc("b-1", 1, 31), inc("b-2", 101, 129, "run-2"), inc("b-3", -600, -500)];
    const r = incidentsToWrite(local, stored, T0 + 50_000);
    expect(r.aliases).toEqual([["b-1", "a-1"]]);
    expect(r.write.map((i) => i.id)).toEqual(["b-2"]);
  });
});

describe("spansToWrite", () => {
  it("matches a failover by scope and time, and writes the finished view over an unfinished one", () => {
    type F = { id: string; shard: string; start: number; end: number | null };
    const f = (id: string, shard: string, start: number, end: number | null): F => ({ id, shard, start, end });
    const r = spansToWrite(
      [f("x", "shard-1", 5, 9), f("y", "shard-2", 5, 9)],
      [f("s1", "shard-1", 4, null)],
      0,
      (x) => x.shard,
      (x) => ({ start: x.start * 1000, end: x.end === null ? null : x.end * 1000 }),
    );
    expect(r.aliases).toEqual([["x", "s1"]]);
    expect(r.write.map((x) => [x.id, x.end])).toEqual([
      ["s1", 9],
      ["y", 9],
    ]);
  });
});

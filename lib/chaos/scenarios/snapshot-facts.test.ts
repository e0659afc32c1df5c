import { describe, expect, it } from "vitest";
import type { Snapshot } from "../../snapshot/types";
import { allLayersOk, currentMaster, describeRecovery, failureNoticed, masterSwitched, recoveryBracket, typicalStatuses } from "./snapshot-facts";

type NodeBits = { id: string; addr: string; role: "master" | "replica"; up: boolean };
function snap(
  nodes: NodeBits[],
  sentinel: { addr: string | null; flags?: string[]; failover?: boolean; blind?: boolean },
  layers: Record<string, string> = {},
): Snapshot {
  return {
    redis: { nodes },
    sentinel: {
      master: { addr: sentinel.addr, flags: sentinel.flags ?? [], configEpoch: 0 },
      failoverInProgress: !!sentinel.failover,
      blind: !!sentinel.blind,
    },
    layers: Object.entries(layers).map(([id, status]) => ({ id, status })),
  } as unknown as Snapshot;
}
const a = { id: "redis-a", addr: "127.0.0.1:1", role: "master" as const, up: true };
const b = { id: "redis-b", addr: "127.0.0.1:2", role: "replica" as const, up: true };

describe("currentMaster", () => {
  it("names the node the sentinels agree on", () => {
    expect(currentMaster(snap([a, b], { addr: "127.0.0.1:1" }))).toEqual({ id: "redis-a", addr: "127.0.0.1:1" });
  });
  it("prefers the sentinels' choice when two nodes claim to be master", () => {
    expect(currentMaster(snap([a, { ...b, role: "master" }], { addr: "127.0.0.1:2" })).id).toBe("redis-b");
  });
  it("throws when no node answers as master", () => {
    expect(() => currentMaster(snap([{ ...a, up: false }, b], { addr: "127.0.0.1:1" }))).toThrow(/no node answers as master/);
  });
});

describe("failover facts", () => {
  const old = { id: "redis-a", addr: "127.0.0.1:1" };
  it("sees a switch only when the sentinels name another master", () => {
    expect(masterSwitched(snap([a, b], { addr: "127.0.0.1:1" }), old.addr)).toBe(false);
    expect(masterSwitched(snap([a, b], { addr: "127.0.0.1:2" }), old.addr)).toBe(true);
    expect(masterSwitched(snap([a, b], { addr: "127.0.0.1:2", blind: true }), old.addr)).toBe(false);
  });
  it("notices a down master, down flags or a failover in progress", () => {
    expect(failureNoticed(snap([a, b], { addr: old.addr }), old)).toBe(false);
    expect(failureNoticed(snap([{ ...a, up: false }, b], { addr: old.addr }), old)).toBe(true);
    expect(failureNoticed(snap([a, b], { addr: old.addr, flags: ["master", "s_down"] }), old)).toBe(true);
    expect(failureNoticed(snap([a, b], { addr: old.addr, failover: true }), old)).toBe(true);
  });
});

describe("layer facts", () => {
  it("all ok only when every layer is ok", () => {
    expect(allLayersOk(snap([], { addr: null }, { L1: "ok", L3: "ok" }))).toBe(true);
    expect(allLayersOk(snap([], { addr: null }, { L1: "ok", L3: "unavailable" }))).toBe(false);
    expect(allLayersOk(snap([], { addr: null }))).toBe(false);
  });
  it("summarizes the most frequent status per layer", () => {
    const s = [
      snap([], { addr: null }, { L1: "ok", L3: "unavailable" }),
      snap([], { addr: null }, { L1: "degraded", L3: "unavailable" }),
      snap([], { addr: null }, { L1: "degraded", L3: "ok" }),
    ];
    expect(typicalStatuses(s)).toBe("L1 degraded, L2 unknown, L3 unavailable, CP unknown");
  });
});

describe("recoveryBracket", () => {
  const at = (ms: number, L3: string) => ({ ...snap([], { addr: null }, { L3 }), at: new Date(ms).toISOString() }) as Snapshot;
  it("brackets the recovery between the last failing tick and the first ok one", () => {
    const b = recoveryBracket([at(1050, "unavailable"), at(2090, "unavailable"), at(3090, "ok"), at(4090, "unavailable")], "L3");
    expect(b).toEqual({ lastFailing: 2090, firstOk: 3090 });
    expect(describeRecovery(b, 1000)).toBe("ok after 2.09 s (still failing at 1.09 s)");
  });
  it("says when the layer was ok at the first look or never", () => {
    expect(describeRecovery(recoveryBracket([at(1500, "ok")], "L3"), 1000)).toBe("ok after 0.5 s (first look)");
    expect(recoveryBracket([at(1500, "degraded")], "L3")).toEqual({ lastFailing: 1500, firstOk: null });
  });
});

describe("describeRecovery under the tick's resolution", () => {
  it("says < 1 tick rather than 0 when the tick that saw it began before the event", () => {
    expect(describeRecovery({ lastFailing: null, firstOk: 900 }, 1000)).toBe("ok after < 1 tick (≤ 1 s) (first look)");
  });
});

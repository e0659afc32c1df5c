import { describe, expect, it } from "vitest";
import type { LayerSnapshot, Snapshot } from "@/lib/snapshot/types";
import { replicaWrites, writingToReplica } from "./replica-writes";

function layer(id: LayerSnapshot["id"], headers?: Record<string, string>, summary = "status degraded"): LayerSnapshot {
  return {
    id,
    status: "degraded",
    expected: "ok",
    agrees: false,
    violation: false,
    since: "2026-01-01T00:00:00Z",
    summary,
    observed: {
      reachable: true,
      latencyMs: 3,
      requests: [{ name: "health", status: 200, headers }],
      state: "degraded",
      rules: {},
      summary,
      at: null,
      everyMs: null,
    },
    checks: [],
  };
}

describe("writing to a replica", () => {
  it("is seen in the x-redis-error header or a READONLY in the answer", () => {
    expect(writingToReplica(layer("L1", { "x-redis-error": "READONLY" }))).toBe(true);
    expect(writingToReplica(layer("L2", undefined, "503 READONLY You can't write against a read only replica."))).toBe(true);
    expect(writingToReplica(layer("L3", { "x-redis-error": "refused" }))).toBe(false);
  });
  it("says the layers still point at the old master when the address check sees a replica", () => {
    const redis = { layerAddress: { state: "replica", detail: "replica" } } as unknown as Snapshot["redis"];
    const r = replicaWrites({ layers: [layer("L1", { "x-redis-error": "READONLY" }), layer("L3", { "x-redis-error": "refused" })], redis });
    expect(r).toMatchObject({ layers: ["L1"], addressOnReplica: true });
    expect(r!.sentence).toMatch(/still point at the old master/);
    const unknownAddress = replicaWrites({ layers: [layer("CP", { "x-redis-error": "READONLY" })], redis: {} as Snapshot["redis"] });
    expect(unknownAddress!.sentence).not.toMatch(/old master/);
    expect(replicaWrites({ layers: [layer("L3")], redis })).toBeNull();
  });
});

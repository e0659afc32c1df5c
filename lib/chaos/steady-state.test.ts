import { describe, expect, it } from "vitest";
import type { Snapshot } from "../snapshot/types";
import { DEV_STACK_STEADY, steadyStateProblems } from "./steady-state";

type NodeBits = { id: string; role: "master" | "replica"; up: boolean; masterLinkUp?: boolean };
function snap(nodes: NodeBits[], opts: { quorumOk?: boolean; layers?: Record<string, string>; available?: boolean } = {}): Snapshot {
  return {
    redis: { nodes, available: opts.available ?? true, availabilityDetail: "" },
    sentinel: { sentinels: [{ id: "sentinel-1", up: true, quorumOk: opts.quorumOk ?? true, quorumMessage: "NOQUORUM" }], failoverInProgress: false },
    layers: Object.entries(opts.layers ?? {}).map(([id, status]) => ({ id, status, summary: "" })),
  } as unknown as Snapshot;
}
const master: NodeBits = { id: "a", role: "master", up: true };
const replica: NodeBits = { id: "b", role: "replica", up: true, masterLinkUp: true };

describe("steady state", () => {
  it("asks the sandbox for a replica in sync and a quorum", () => {
    expect(steadyStateProblems(snap([master, replica]))).toEqual([]);
    expect(steadyStateProblems(snap([master]))).toEqual(["no replica in sync with the master"]);
    expect(steadyStateProblems(snap([master, replica], { quorumOk: false }))).toEqual(["CKQUORUM fails on sentinel-1: NOQUORUM"]);
  });

  it("asks a dev stack for a replica only where it has one, and no CKQUORUM", () => {
    expect(steadyStateProblems(snap([master]), DEV_STACK_STEADY)).toEqual([]);
    expect(steadyStateProblems(snap([master, replica], { quorumOk: false }), DEV_STACK_STEADY)).toEqual([]);
    expect(steadyStateProblems(snap([master, { ...replica, masterLinkUp: false }]), DEV_STACK_STEADY)).toEqual(["no replica in sync with the master"]);
  });

  it("holds every stack to its layers being ok and Redis reachable", () => {
    expect(steadyStateProblems(snap([master], { layers: { L1: "degraded" }, available: false }), DEV_STACK_STEADY)).toEqual([
      "L1 is degraded: ",
      "Redis not reachable for the layers ()",
    ]);
  });
});

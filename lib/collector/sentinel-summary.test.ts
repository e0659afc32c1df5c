import { describe, expect, it } from "vitest";
import type { NodeSnapshot, SentinelView } from "../snapshot/types";
import { summarizeSentinels } from "./sentinel-summary";

const view = (id: string, masterAddr: string | null, extra: Partial<SentinelView> = {}): SentinelView => ({
  id,
  addr: `127.0.0.1:${id}`,
  up: true,
  masterAddr,
  flags: ["master"],
  configEpoch: 1,
  otherSentinels: 2,
  quorum: 2,
  quorumOk: true,
  quorumMessage: "OK",
  ...extra,
});
const down = (id: string): SentinelView => ({
  ...view(id, null),
  up: false,
  error: "connection refused",
  flags: [],
  configEpoch: null,
  quorum: null,
  quorumOk: null,
});
const node = (addr: string, role: NodeSnapshot["role"], up = true) => ({ id: addr, addr, role, up }) as NodeSnapshot;

describe("summarizeSentinels", () => {
  it("agrees when all sentinels see one master", () => {
    const s = summarizeSentinels("mymaster", [view("1", "a:1"), view("2", "a:1"), view("3", "a:1")], []);
    expect(s).toMatchObject({ master: { addr: "a:1" }, quorum: 2, reachable: 3, splitView: false, blind: false, failoverInProgress: false });
  });
  it("flags a split view and follows the majority", () => {
    const s = summarizeSentinels("mymaster", [view("1", "a:1"), view("2", "b:2"), view("3", "a:1")], []);
    expect(s.splitView).toBe(true);
    expect(s.master.addr).toBe("a:1");
  });
  it("counts a down sentinel as unreachable", () => {
    expect(summarizeSentinels("m", [view("1", "a:1"), down("2"), view("3", "a:1")], []).reachable).toBe(2);
  });
  it("is blind when no sentinel answers and falls back to the nodes' own roles", () => {
    const s = summarizeSentinels("m", [down("1"), down("2"), down("3")], [node("a:1", "replica"), node("b:2", "master")]);
    expect(s).toMatchObject({ blind: true, reachable: 0, master: { addr: "b:2" } });
  });
  it("sees a failover in progress from the flags", () => {
    const s = summarizeSentinels("m", [view("1", "a:1", { flags: ["master", "failover_in_progress"] }), view("2", "a:1")], []);
    expect(s.failoverInProgress).toBe(true);
  });
  it("without sentinels in the config: no Sentinel, not blind; the master is the node's own word", () => {
    const s = summarizeSentinels("m", [], [node("a:1", "master")], 0);
    expect(s).toMatchObject({ none: true, blind: false, reachable: 0, master: { addr: "a:1" } });
  });
});

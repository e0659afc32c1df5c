import { describe, expect, it } from "vitest";
import type { LayerSnapshot, NodeSnapshot } from "../snapshot/types";
import { WarmUp } from "./warm-up";

const node = (id: string, up: boolean) => ({ id, up }) as NodeSnapshot;
const layer = (id: string, reachable: boolean) => ({ id, status: reachable ? "degraded" : "unknown", observed: { reachable } }) as LayerSnapshot;

describe("WarmUp", () => {
  it("lasts until every node and layer has answered once, even if not in the same look", () => {
    const w = new WarmUp(0, 15_000);
    expect(w.update([node("a", true), node("b", false)], [layer("L1", false)], 100)).toBe(true);
    // b answered earlier is remembered; L1 answers now, a is down again: all have answered once.
    expect(w.update([node("a", false), node("b", true)], [layer("L1", false)], 200)).toBe(true);
    // Reached but matching no state of its probe yet is not an answer.
    expect(w.update([node("a", false), node("b", false)], [{ ...layer("L1", true), status: "unknown" }], 250)).toBe(true);
    expect(w.update([node("a", false), node("b", false)], [layer("L1", true)], 300)).toBe(false);
    expect(w.over).toBe(true);
    // Over is over: a later silence is news.
    expect(w.update([node("a", false)], [layer("L1", false)], 400)).toBe(false);
  });

  it("waits for every sentinel too: nodes and layers answering before the sentinels is still warm-up", () => {
    const w = new WarmUp(0, 15_000);
    const s = (addr: string, up: boolean) => ({ addr, up });
    expect(w.update([node("a", true)], [layer("L1", true)], 100, [s("s1", true), s("s2", false)])).toBe(true);
    expect(w.update([node("a", true)], [layer("L1", true)], 200, [s("s1", false), s("s2", true)])).toBe(false);
  });

  it("ends at its bound when something never answers", () => {
    const w = new WarmUp(1000, 15_000);
    expect(w.update([node("a", false)], [], 15_999)).toBe(true);
    expect(w.update([node("a", false)], [], 16_000)).toBe(false);
  });
});

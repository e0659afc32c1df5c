import { describe, expect, it } from "vitest";
import type { Snapshot } from "../../snapshot/types";
import { pinnedCourse } from "./failover-pinned";

const snap = (sec: number, status: string): Snapshot =>
  ({ at: new Date(Date.UTC(2026, 0, 1, 0, 0, sec)).toISOString(), layers: [{ id: "L3", status }] }) as unknown as Snapshot;
const at = (sec: number) => Date.UTC(2026, 0, 1, 0, 0, sec);

describe("a pinned layer's course through the window", () => {
  it("ok at first (the old master still takes writes), then failing to the end: never recovered", () => {
    expect(pinnedCourse([snap(1, "ok"), snap(2, "ok"), snap(12, "unavailable"), snap(20, "unavailable")], "L3")).toEqual({
      firstFailing: at(12),
      lastFailing: at(20),
      endOk: false,
      recoveredAt: null,
    });
  });
  it("failing, then ok at the end: recovered at the first ok after the last failure", () => {
    expect(pinnedCourse([snap(1, "unavailable"), snap(2, "ok"), snap(3, "unavailable"), snap(4, "ok"), snap(5, "ok")], "L3")).toEqual({
      firstFailing: at(1),
      lastFailing: at(3),
      endOk: true,
      recoveredAt: at(4),
    });
  });
  it("never failing: ok at every look", () => {
    expect(pinnedCourse([snap(1, "ok"), snap(2, "ok")], "L3")).toEqual({ firstFailing: null, lastFailing: null, endOk: true, recoveredAt: null });
  });
});

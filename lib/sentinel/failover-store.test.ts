import { describe, expect, it } from "vitest";
import { memoryRecords } from "../store/records";
import { FailoverStore } from "./failover-store";
import type { FailoverRecord } from "./types";

const record = (i: number, extra: Partial<FailoverRecord> = {}): FailoverRecord => ({
  id: `r${i}`,
  masterName: "mymaster",
  kind: "manual",
  outcome: "completed",
  oldMaster: "a:1",
  newMaster: "b:2",
  oldMasterNode: null,
  newMasterNode: null,
  leader: "sentinel-1",
  epoch: i,
  masterLostAt: null,
  startedAt: new Date(1_000_000 + i * 1000).toISOString(),
  endedAt: new Date(1_000_500 + i * 1000).toISOString(),
  durationMs: 500,
  steps: [],
  phases: [],
  aborts: [],
  oldMasterRejoinedAt: null,
  ...extra,
});

describe("FailoverStore", () => {
  it("loads what the store kept newest first, bounded, and saves each new or amended record", () => {
    const records = memoryRecords([record(1), record(3), record(2)]);
    const store = new FailoverStore(records, 2);
    expect(store.load().map((r) => r.id)).toEqual(["r3", "r2"]);
    store.save(record(4));
    store.save(record(4, { oldMasterRejoinedAt: "2026-11-26T10:00:00.000Z" }));
    expect(records.saved.map((r) => [r.id, r.oldMasterRejoinedAt])).toEqual([
      ["r4", null],
      ["r4", "2026-11-26T10:00:00.000Z"],
    ]);
  });

  it("works without a store", () => {
    const store = new FailoverStore(null);
    store.save(record(1));
    expect(store.load()).toEqual([]);
  });
});

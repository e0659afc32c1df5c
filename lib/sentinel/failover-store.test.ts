import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FailoverStore } from "./failover-store";
import type { FailoverRecord } from "./types";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tmpFile = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "failover-store-"));
  dirs.push(d);
  return path.join(d, "sub", "failovers.jsonl");
};
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
  it("keeps the last version of an amended record, newest first, across restarts", () => {
    const file = tmpFile();
    const store = new FailoverStore(file);
    store.save(record(1));
    store.save(record(2));
    store.save(record(1, { oldMasterRejoinedAt: "2026-11-26T10:00:00.000Z" }));
    fs.appendFileSync(file, '{"id":"torn');
    const loaded = new FailoverStore(file).load();
    expect(loaded.map((r) => r.id)).toEqual(["r2", "r1"]);
    expect(loaded[1].oldMasterRejoinedAt).toBe("2026-11-26T10:00:00.000Z");
  });

  it("stays bounded and compacts the file", () => {
    const file = tmpFile();
    const store = new FailoverStore(file, 3);
    for (let i = 0; i < 10; i++) store.save(record(i));
    expect(store.load().map((r) => r.id)).toEqual(["r9", "r8", "r7"]);
    expect(fs.readFileSync(file, "utf8").trim().split("\n")).toHaveLength(3);
  });

  it("works without a file", () => {
    const store = new FailoverStore(null);
    store.save(record(1));
    expect(store.load()).toEqual([]);
  });
});

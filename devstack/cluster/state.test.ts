import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { clusterStateFile, parseClusterState, readClusterState, removeClusterState, writeClusterState, type ClusterState } from "./state";

const state = (dir: string): ClusterState => ({
  kind: "redis-cluster",
  clusterId: "0123456789abcdef",
  dir,
  host: "127.0.0.1",
  basePort: 7100,
  password: "p".repeat(48),
  controlToken: "t".repeat(48),
  supervisorPid: 4242,
  startedAt: "2026-12-02T00:00:00.000Z",
  ready: true,
  nodes: [
    { name: "node-1", port: 7100, busPort: 7120, pid: 100, id: "a".repeat(40), createdRole: "master", createdReplicaOf: null },
    { name: "node-4", port: 7103, busPort: 7123, pid: null, frozen: true, id: "b".repeat(40), createdRole: "replica", createdReplicaOf: "node-1" },
  ],
  layers: [],
  control: { port: 7110, url: "http://127.0.0.1:7110" },
  nodeTimeoutMs: 5000,
});

describe("cluster state file", () => {
  let dir = "";
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("is written atomically as 0600 and read back the same", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-cluster-state-"));
    writeClusterState(state(dir));
    expect(fs.statSync(clusterStateFile(dir)).mode & 0o777).toBe(0o600);
    expect(path.basename(clusterStateFile(dir))).toBe("cluster-state.json");
    expect(fs.readdirSync(dir)).toEqual(["cluster-state.json"]);
    expect(readClusterState(dir)).toEqual(state(dir));
    removeClusterState(dir);
    expect(readClusterState(dir)).toBeNull();
  });

  it("refuses to write what its readers would not accept", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-cluster-state-"));
    expect(() => writeClusterState({ ...state(dir), password: "short" })).toThrow();
    expect(fs.existsSync(clusterStateFile(dir))).toBe(false);
  });

  it("reads another shape (the Sentinel sandbox's state.json, half a file) as no cluster", () => {
    expect(parseClusterState(JSON.stringify({ ...state("/d"), kind: undefined }))).toBeNull();
    expect(parseClusterState(JSON.stringify({ stackId: "x", nodes: [], sentinels: [] }))).toBeNull();
    expect(parseClusterState('{"kind": "redis-cluster", ')).toBeNull();
    expect(parseClusterState(JSON.stringify({ ...state("/d"), nodes: [{ ...state("/d").nodes[0], createdRole: "slave" }] }))).toBeNull();
  });
});

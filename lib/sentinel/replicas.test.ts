import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseInfo } from "../redis/info";
import { foldReplicas, type NodeReading } from "./replicas";

const fixture = (name: string) => parseInfo(fs.readFileSync(path.join(__dirname, "../redis/fixtures", name), "utf8"));
const MASTER = "127.0.0.1:18000";
const REPLICA = "127.0.0.1:18001";
const nodes = (): NodeReading[] => [
  { id: "redis-a", addr: MASTER, up: true, info: fixture("info-master-7.0.15.txt") },
  { id: "redis-b", addr: REPLICA, up: true, info: fixture("info-replica-7.0.15.txt") },
];
// SENTINEL REPLICAS mymaster, one entry, as pairsToRecord() gives it (fields trimmed).
const SENTINEL_REPLICA = {
  name: REPLICA,
  ip: "127.0.0.1",
  port: "18001",
  flags: "slave",
  "role-reported": "slave",
  "master-link-down-time": "0",
  "master-link-status": "ok",
  "master-host": "127.0.0.1",
  "master-port": "18000",
  "slave-priority": "100",
  "slave-repl-offset": "175000",
};

describe("foldReplicas", () => {
  it("takes Sentinel's list and the nodes' own offsets for lag", () => {
    const [r] = foldReplicas([SENTINEL_REPLICA], nodes(), MASTER, null);
    expect(r).toMatchObject({
      id: "redis-b",
      addr: REPLICA,
      source: "sentinel",
      up: true,
      consoleReach: true,
      linkUp: true,
      masterAddr: MASTER,
      priority: 100,
      offset: 175544,
      lagBytes: 0,
      lagSeconds: 1,
      formerMaster: false,
      rejoined: false,
      flags: [],
    });
  });

  it("shows a down replica from Sentinel's flags, with the master's last ack offset", () => {
    const down = {
      ...SENTINEL_REPLICA,
      flags: "s_down,slave,disconnected",
      "master-link-status": "err",
      "master-link-down-time": "4000",
      "master-host": "?",
      "master-port": "0",
    };
    const [r] = foldReplicas([down], [nodes()[0], { id: "redis-b", addr: REPLICA, up: false, info: null }], MASTER, null);
    expect(r).toMatchObject({
      up: false,
      linkUp: false,
      linkDownSeconds: 4,
      flags: ["s_down", "disconnected"],
      offset: 175142,
      lagBytes: 402,
      masterAddr: null,
    });
  });

  it("says separately when the console's own connection fails while Sentinel still reaches it", () => {
    const [r] = foldReplicas([SENTINEL_REPLICA], [nodes()[0], { id: "redis-b", addr: REPLICA, up: false, info: null }], MASTER, null);
    expect(r).toMatchObject({ up: true, consoleReach: false, linkUp: true });
  });

  it("prefers the replica's own INFO for the link over Sentinel's older reading", () => {
    const info = { ...fixture("info-replica-7.0.15.txt"), masterLinkUp: false };
    const [r] = foldReplicas([SENTINEL_REPLICA], [nodes()[0], { id: "redis-b", addr: REPLICA, up: true, info }], MASTER, null);
    expect(r.linkUp).toBe(false);
  });

  it("marks the old master rejoining, and does not compute lag while it still claims master", () => {
    const back = { ...SENTINEL_REPLICA, name: "127.0.0.1:18002", port: "18002", "role-reported": "master" };
    const stale: NodeReading = { id: "redis-c", addr: "127.0.0.1:18002", up: true, info: fixture("info-master-7.0.15.txt") };
    const [r] = foldReplicas([back], [...nodes(), stale], MASTER, { addr: "127.0.0.1:18002", rejoined: false });
    expect(r).toMatchObject({ id: "redis-c", formerMaster: true, rejoined: false, roleReported: "master", lagBytes: null });
  });

  it("counts a former master that is plainly replicating as rejoined, even if the conversion was not heard", () => {
    const [r] = foldReplicas([SENTINEL_REPLICA], nodes(), MASTER, { addr: REPLICA, rejoined: false });
    expect(r).toMatchObject({ formerMaster: true, rejoined: true });
  });

  it("falls back to the nodes' INFO when no sentinel answers", () => {
    const list = foldReplicas(null, nodes(), null, null);
    expect(list).toEqual([expect.objectContaining({ id: "redis-b", source: "nodes", linkUp: true, lagBytes: 0, priority: 100, masterAddr: MASTER })]);
  });
});

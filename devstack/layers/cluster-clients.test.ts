import { describe, expect, it } from "vitest";
import { redisRsClusterOptions, redisRsReconnectMs } from "./cluster-client-models";
import { replyCode, slotTable } from "./resty-redis-cluster";

describe("the cluster client models", () => {
  it("reconnect as redis-rs's reconnect_loop: 50 ms doubling to 1 s", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(redisRsReconnectMs)).toEqual([50, 100, 200, 400, 800, 1000, 1000]);
  });

  it("take redis-rs's defaults where ioredis has the knob, and bound every command", () => {
    const o = redisRsClusterOptions({ password: "x" }, "n");
    expect(o).toMatchObject({ maxRedirections: 16, retryDelayOnMoved: 0, retryDelayOnClusterDown: 1280, enableOfflineQueue: false, slotsRefreshInterval: 0 });
    expect(o.redisOptions).toMatchObject({ connectTimeout: 1000, commandTimeout: 10_000 });
  });

  it("read a reply code, also inside a MULTI's EXECABORT", () => {
    expect(replyCode(new Error("MOVED 3999 127.0.0.1:7101"))).toBe("MOVED");
    const aborted = Object.assign(new Error("EXECABORT Transaction discarded because of previous errors."), {
      previousErrors: [new Error("MOVED 1 127.0.0.1:1")],
    });
    expect(replyCode(aborted)).toBe("MOVED");
    expect(replyCode(new Error("CLUSTERDOWN The cluster is down"))).toBe("CLUSTERDOWN");
  });

  it("build the slot cache from CLUSTER SLOTS: each slot's master is the first node of its range", () => {
    const reply = [
      [0, 1, ["127.0.0.1", 7100, "id1"], ["127.0.0.1", 7103, "id4"]],
      [2, 3, ["127.0.0.1", 7101, "id2"], ["127.0.0.1", 7104, "id5"]],
    ];
    const { masters, ports } = slotTable(reply);
    expect(masters).toEqual([7100, 7100, 7101, 7101]);
    expect(ports.sort()).toEqual([7100, 7101, 7103, 7104]);
  });
});

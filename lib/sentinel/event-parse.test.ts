import { describe, expect, it } from "vitest";
import { parseSentinelEvent } from "./event-parse";

// Messages captured from redis-sentinel 7.0.15 in the devstack during a kill -9 of the master.
describe("parseSentinelEvent", () => {
  it("reads +switch-master as from/to addresses", () => {
    const e = parseSentinelEvent("+switch-master", "mymaster 127.0.0.1 6400 127.0.0.1 6401");
    expect(e).toMatchObject({
      type: "+switch-master",
      masterName: "mymaster",
      masterAddr: "127.0.0.1:6401",
      switchMaster: { from: "127.0.0.1:6400", to: "127.0.0.1:6401" },
    });
  });

  it("reads a master event without the @ part", () => {
    const e = parseSentinelEvent("+sdown", "master mymaster 127.0.0.1 17240");
    expect(e).toMatchObject({ instance: { kind: "master", name: "mymaster", addr: "127.0.0.1:17240" }, masterName: "mymaster", masterAddr: "127.0.0.1:17240" });
  });

  it("reads the quorum of +odown", () => {
    expect(parseSentinelEvent("+odown", "master mymaster 127.0.0.1 17240 #quorum 3/2")).toMatchObject({ quorum: "3/2", masterName: "mymaster" });
  });

  it("reads a replica event with its master after @", () => {
    const e = parseSentinelEvent("+promoted-slave", "slave 127.0.0.1:17241 127.0.0.1 17241 @ mymaster 127.0.0.1 17240");
    expect(e).toMatchObject({ instance: { kind: "slave", addr: "127.0.0.1:17241" }, masterName: "mymaster", masterAddr: "127.0.0.1:17240" });
    expect(e?.note).toBeUndefined();
  });

  it("reads the role of a role change", () => {
    const e = parseSentinelEvent("-role-change", "slave 127.0.0.1:17240 127.0.0.1 17240 @ mymaster 127.0.0.1 17241 new reported role is master");
    expect(e).toMatchObject({ reportedRole: "master", instance: { addr: "127.0.0.1:17240" } });
  });

  it("reads a sentinel instance (config update) by run id", () => {
    const e = parseSentinelEvent("+config-update-from", "sentinel 5a6398925c7a 127.0.0.1 17243 @ mymaster 127.0.0.1 17240");
    expect(e).toMatchObject({ instance: { kind: "sentinel", name: "5a6398925c7a", addr: "127.0.0.1:17243" }, masterName: "mymaster" });
  });

  it("reads epochs and votes", () => {
    expect(parseSentinelEvent("+new-epoch", "7")).toMatchObject({ epoch: 7 });
    expect(parseSentinelEvent("+vote-for-leader", "5a6398925c7a 1")).toMatchObject({ voteFor: "5a6398925c7a", epoch: 1 });
  });

  it("keeps tilt text as a note", () => {
    expect(parseSentinelEvent("+tilt", "#tilt mode entered")).toMatchObject({ type: "+tilt", instance: null, note: "#tilt mode entered" });
  });

  it("ignores channels that are not events", () => {
    expect(parseSentinelEvent("__sentinel__:hello", "127.0.0.1,17242,abc,1,mymaster,127.0.0.1,17240,1")).toBeNull();
  });

  it("survives a truncated message", () => {
    expect(parseSentinelEvent("+sdown", "master mymaster")).toMatchObject({ instance: null, note: "master mymaster" });
    expect(parseSentinelEvent("+switch-master", "mymaster 127.0.0.1")).toMatchObject({ instance: null });
  });
});

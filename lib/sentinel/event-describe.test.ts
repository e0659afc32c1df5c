import { describe, expect, it } from "vitest";
import { describeSentinelEvent } from "./event-describe";
import { parseSentinelEvent, type SentinelEvent } from "./event-parse";

const ev = (channel: string, msg: string) => parseSentinelEvent(channel, msg) as SentinelEvent;
const NAMES: Record<string, string> = { "127.0.0.1:6400": "redis-a", "127.0.0.1:6401": "redis-b" };
const name = (addr: string) => NAMES[addr] ?? addr;

describe("describeSentinelEvent", () => {
  it("names the nodes and every reporter of a +switch-master", () => {
    const d = describeSentinelEvent(ev("+switch-master", "mymaster 127.0.0.1 6400 127.0.0.1 6401"), ["sentinel-2", "sentinel-1", "sentinel-3"], name);
    expect(d).toMatchObject({ severity: "warn", title: "Sentinel +switch-master: master is now redis-b (was redis-a)", subject: "redis-b" });
    expect(d?.detail).toContain("reported by sentinel-2, sentinel-1, sentinel-3");
  });

  it("pages on +odown and says a failover follows", () => {
    const d = describeSentinelEvent(ev("+odown", "master mymaster 127.0.0.1 6400 #quorum 2/2"), ["sentinel-1"], name);
    expect(d).toMatchObject({ severity: "page", subject: "redis-a" });
    expect(d?.title).toMatch(/redis-a objectively down \(quorum 2\/2\)/);
  });

  it("credits the leader with +elected-leader", () => {
    expect(describeSentinelEvent(ev("+elected-leader", "master mymaster 127.0.0.1 6400"), ["sentinel-2"], name)?.title).toBe(
      "Sentinel: sentinel-2 elected failover leader",
    );
  });

  it("leaves discovery chatter and votes out", () => {
    expect(describeSentinelEvent(ev("+slave", "slave 127.0.0.1:6400 127.0.0.1 6400 @ mymaster 127.0.0.1 6401"), ["s1"], name)).toBeNull();
    expect(describeSentinelEvent(ev("+vote-for-leader", "abc 1"), ["s1"], name)).toBeNull();
  });

  it("names a sentinel once", () => {
    const e = ev("+sdown", "sentinel 079d2dd9a93e 127.0.0.1 6403 @ mymaster 127.0.0.1 6400");
    expect(describeSentinelEvent(e, ["sentinel-1"], (a) => (a === "127.0.0.1:6403" ? "sentinel-2" : a))?.title).toBe("Sentinel: sentinel-2 subjectively down");
  });

  it("says what tilt means", () => {
    expect(describeSentinelEvent(ev("+tilt", "#tilt mode entered"), ["sentinel-3"], name)).toMatchObject({ severity: "page", subject: "sentinel-3" });
  });
});

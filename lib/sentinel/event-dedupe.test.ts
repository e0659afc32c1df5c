import { describe, expect, it } from "vitest";
import { parseSentinelEvent, type SentinelEvent } from "./event-parse";
import { dedupeKey, EventDeduper } from "./event-dedupe";

const ev = (channel: string, msg: string) => parseSentinelEvent(channel, msg) as SentinelEvent;
const SDOWN = ev("+sdown", "master mymaster 127.0.0.1 6400");
const SWITCH = ev("+switch-master", "mymaster 127.0.0.1 6400 127.0.0.1 6401");

describe("EventDeduper", () => {
  it("merges one event reported by three sentinels into one group naming all three", () => {
    const d = new EventDeduper(1200);
    expect(d.add("sentinel-3", SDOWN, 3, 0)).toEqual([]);
    expect(d.add("sentinel-1", SDOWN, 3, 98)).toEqual([]);
    const [g] = d.add("sentinel-2", SDOWN, 3, 99);
    expect(g).toMatchObject({ firstAt: 0, reporters: ["sentinel-3", "sentinel-1", "sentinel-2"] });
    expect(d.nextDueAt()).toBeNull();
  });

  it("publishes after the window when a sentinel never reports, and absorbs a late reporter", () => {
    const d = new EventDeduper(1200, 10_000);
    d.add("sentinel-1", SWITCH, 3, 0);
    d.add("sentinel-2", SWITCH, 3, 2);
    expect(d.due(1000)).toEqual([]);
    expect(d.nextDueAt()).toBe(1200);
    expect(d.due(1200).map((g) => g.reporters)).toEqual([["sentinel-1", "sentinel-2"]]);
    expect(d.add("sentinel-3", SWITCH, 3, 1500)).toEqual([]);
    expect(d.due(5000)).toEqual([]);
  });

  it("publishes a leader-only event at once", () => {
    const d = new EventDeduper();
    expect(d.add("sentinel-2", ev("+elected-leader", "master mymaster 127.0.0.1 6400"), 1, 0)).toHaveLength(1);
  });

  it("treats the same sentinel reporting again as a new occurrence (a flapping master)", () => {
    const d = new EventDeduper(1200);
    expect(d.add("sentinel-1", SDOWN, 1, 0)).toHaveLength(1);
    expect(d.add("sentinel-1", SDOWN, 1, 3000)).toHaveLength(1);
  });

  it("keys +odown without the per-sentinel quorum count, tilt per sentinel", () => {
    const a = ev("+odown", "master mymaster 127.0.0.1 6400 #quorum 2/2");
    const b = ev("+odown", "master mymaster 127.0.0.1 6400 #quorum 3/2");
    expect(dedupeKey("s1", a)).toBe(dedupeKey("s2", b));
    const tilt = ev("+tilt", "#tilt mode entered");
    expect(dedupeKey("s1", tilt)).not.toBe(dedupeKey("s2", tilt));
    expect(dedupeKey("s1", ev("+new-epoch", "1"))).not.toBe(dedupeKey("s1", ev("+new-epoch", "2")));
  });
});

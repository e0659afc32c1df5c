import { describe, expect, it } from "vitest";
import { EvictionLedger } from "./eviction-ledger";

describe("EvictionLedger", () => {
  it("shares evictions out by the classes of keys that vanished before their TTL while Redis evicted", () => {
    const l = new EvictionLedger();
    l.observeCounter(0, "a", 100);
    l.observeCounter(10_000, "a", 140);
    l.observeCheck(10_000, "L3", 10_000, true);
    for (let i = 0; i < 3; i++) l.observeCheck(10_000, "L2", 10_000, true);
    l.observeCheck(10_000, "L2", 10_000, false);
    l.settle(10_000);
    expect(l.observed).toBe(40);
    expect(l.byClass).toEqual({ L3: 10, L2: 30 });
    expect(l.attributed).toBe(40);
  });

  it("discounts a class's own deletions, learnt while nothing was evicted", () => {
    const l = new EvictionLedger();
    l.observeCounter(0, "a", 0);
    // Quiet: half of the re-checked L3 sessions are deleted by the application within 10 s.
    for (let i = 0; i < 10; i++) l.observeCheck(10_000, "L3", 10_000, i % 2 === 0);
    l.settle(10_000);
    l.observeCounter(20_000, "a", 50);
    // Evicting: L3 vanishes at its usual rate, the filler well above its (zero) rate.
    for (let i = 0; i < 10; i++) l.observeCheck(20_000, "L3", 10_000, i % 2 === 0);
    for (let i = 0; i < 10; i++) l.observeCheck(20_000, "filler", 10_000, i < 2);
    l.settle(20_000);
    expect(l.byClass).toEqual({ filler: 50 });
  });

  it("holds evictions pending until a vanished key explains them, then unattributed after 5 min", () => {
    const l = new EvictionLedger();
    l.observeCounter(0, "a", 0);
    l.observeCounter(1000, "a", 7);
    l.settle(1000);
    expect(l.pendingCount).toBe(7);
    l.observeCheck(11_000, "filler", 20_000, true);
    l.settle(11_000);
    expect(l.byClass).toEqual({ filler: 7 });
    l.observeCounter(400_000, "a", 10);
    l.settle(400_000); // the filler evidence is older than 5 min: it no longer explains new evictions
    l.settle(400_000 + 5 * 60_000);
    expect(l.unattributed).toBe(3);
    expect(l.pendingCount).toBe(0);
  });

  it("never counts a counter reset (restart) or a new master's counter as evictions", () => {
    const l = new EvictionLedger();
    l.observeCounter(0, "a", 5000);
    l.observeCounter(1000, "a", 3); // restarted
    l.observeCounter(2000, "b", 9000); // failover: another node's counter
    l.observeCounter(3000, "b", 9004);
    expect(l.observed).toBe(4);
  });
});

import { describe, expect, it } from "vitest";
import { judgeLruOrder, judgeSessions } from "./eviction-verdict";

const half = (seeded: number, lost: number) => ({ seeded, lost });

describe("judgeSessions", () => {
  it("is not exercised when Redis evicted nothing", () => {
    expect(judgeSessions(half(100, 0), half(100, 0), 0)).toMatchObject({ exercised: false });
  });
  it("holds when every session survived the evictions", () => {
    expect(judgeSessions(half(100, 0), half(100, 0), 541)).toMatchObject({ exercised: true, ok: true });
  });
  it("is refuted by any lost session, and says allkeys-lru may evict sessions", () => {
    const v = judgeSessions(half(100, 80), half(100, 58), 541);
    expect(v).toMatchObject({ exercised: true, ok: false });
    expect(v.why).toContain("138 of 200");
    expect(v.why).toContain("allkeys-lru");
  });
});

describe("judgeLruOrder", () => {
  it("holds when the older half lost more", () => {
    expect(judgeLruOrder(half(100, 70), half(100, 20))).toMatchObject({ exercised: true, ok: true });
  });
  it("is refuted when the newer half lost as many or more", () => {
    expect(judgeLruOrder(half(100, 30), half(100, 30))).toMatchObject({ exercised: true, ok: false });
    expect(judgeLruOrder(half(100, 10), half(100, 40))).toMatchObject({ exercised: true, ok: false });
  });
  it("cannot tell the order when nothing or everything went", () => {
    expect(judgeLruOrder(half(100, 0), half(100, 0))).toMatchObject({ exercised: false });
    expect(judgeLruOrder(half(100, 100), half(100, 100))).toMatchObject({ exercised: false });
  });
});

import { describe, expect, it } from "vitest";
import type { TimelineEvent } from "../timeline/types";
import { StreamedEvents } from "./streamed-events";

const T0 = Date.parse("2026-12-06T10:00:00.000Z");
const ev = (id: number, s: number, title: string, subject = "L3"): TimelineEvent => ({
  id,
  at: new Date(T0 + s * 1000).toISOString(),
  kind: "layer",
  severity: "page",
  title,
  subject,
});

describe("StreamedEvents", () => {
  it("follows an event from the store once, and never one pushed under its id before", () => {
    const streamed = new StreamedEvents();
    const fromStore = ev(1, 0, "L3 unavailable (was ok)");
    expect(streamed.isNew(fromStore)).toBe(true);
    streamed.pushed(fromStore, false);
    expect(streamed.isNew(fromStore)).toBe(false);
    const holders = ev(2, 1, "L3 ok again (was unavailable)");
    streamed.pushed(holders, true);
    expect(streamed.isNew(holders)).toBe(false);
  });

  it("takes another replica's sighting of a change this one pushed its own of as shown, one for one", () => {
    const streamed = new StreamedEvents();
    // Pushed while the store was down: this replica's own sighting.
    streamed.pushed(ev(10, 0, "L3 unavailable (was ok)"), true);
    // The holder's, written once the store is back, under its own id 0.4 s apart: the same change.
    expect(streamed.isNew(ev(20, 0.4, "L3 unavailable (was ok)"))).toBe(false);
    // A second change of the same shape a moment later is news: the one sighting answered already.
    expect(streamed.isNew(ev(21, 2, "L3 unavailable (was ok)"))).toBe(true);
    // Too far apart, or another subject: not the same change.
    streamed.pushed(ev(11, 10, "L2 unavailable (was ok)", "L2"), true);
    expect(streamed.isNew(ev(22, 16, "L2 unavailable (was ok)", "L2"))).toBe(true);
    expect(streamed.isNew(ev(23, 10, "L1 unavailable (was ok)", "L1"))).toBe(true);
  });

  it("a sighting that came back under its own id answers for nothing else", () => {
    const streamed = new StreamedEvents();
    // The holder pushes its own flap: down, up, down within 5 s, each written under its id.
    streamed.pushed(ev(1, 0, "redis-a down"), true);
    streamed.pushed(ev(2, 1, "redis-a up"), true);
    expect(streamed.isNew(ev(1, 0, "redis-a down"))).toBe(false);
    expect(streamed.isNew(ev(2, 1, "redis-a up"))).toBe(false);
    // Another replica's event of that shape (a run's step it wrote) is news.
    expect(streamed.isNew(ev(3, 2, "redis-a down"))).toBe(true);
  });

  it("remembers a bounded number of ids", () => {
    const streamed = new StreamedEvents(3, 2);
    for (let id = 1; id <= 5; id++) streamed.pushed(ev(id, id * 10, `event ${id}`), false);
    expect([1, 2, 3, 4, 5].map((id) => streamed.has(id))).toEqual([false, false, true, true, true]);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LookSchedule, MIN_LOOK_GAP_MS, type LookCause } from "./look-schedule";

describe("LookSchedule", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** A schedule whose looks end when the test says; what each look was asked for. */
  function schedule(tickMs = 1000) {
    const looks: LookCause[] = [];
    let finish: () => void = () => {};
    const s = new LookSchedule(
      (cause) => {
        looks.push(cause);
        return new Promise<void>((r) => (finish = r));
      },
      () => tickMs,
      () => {},
    );
    return { s, looks, finish: () => finish() };
  }

  it("looks every tick, and never two looks at once", async () => {
    const { s, looks, finish } = schedule();
    s.start(Promise.resolve());
    await vi.advanceTimersByTimeAsync(0);
    expect(looks).toEqual(["schedule"]);
    // The look takes 100 ms: the next comes a tick after it began.
    await vi.advanceTimersByTimeAsync(100);
    finish();
    await vi.advanceTimersByTimeAsync(899);
    expect(looks).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(looks).toEqual(["schedule", "schedule"]);
    s.stop();
  });

  it("a look longer than the tick is followed at once, never overlapped", async () => {
    const { s, looks, finish } = schedule();
    s.start(Promise.resolve());
    await vi.advanceTimersByTimeAsync(5000);
    expect(looks).toHaveLength(1);
    finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(looks).toEqual(["schedule", "schedule"]);
    s.stop();
  });

  it("requests during a look coalesce into one event look right after it", async () => {
    const { s, looks, finish } = schedule();
    s.start(Promise.resolve());
    await vi.advanceTimersByTimeAsync(0);
    s.request();
    s.request();
    finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(looks).toEqual(["schedule", "event"]);
    s.stop();
  });

  it("a request inside the gap after a look is deferred to the gap's end, not dropped", async () => {
    const { s, looks, finish } = schedule(60_000);
    s.start(Promise.resolve());
    await vi.advanceTimersByTimeAsync(0);
    finish();
    await vi.advanceTimersByTimeAsync(50);
    s.request();
    await vi.advanceTimersByTimeAsync(MIN_LOOK_GAP_MS - 51);
    expect(looks).toEqual(["schedule"]);
    await vi.advanceTimersByTimeAsync(1);
    expect(looks).toEqual(["schedule", "event"]);
    s.stop();
  });

  it("a look that saw a change is followed after the gap, not a whole tick", async () => {
    const { s, looks, finish } = schedule(60_000);
    s.start(Promise.resolve());
    await vi.advanceTimersByTimeAsync(0);
    s.sawChange();
    finish();
    await vi.advanceTimersByTimeAsync(MIN_LOOK_GAP_MS);
    expect(looks).toEqual(["schedule", "schedule"]);
    s.stop();
  });

  it("asks nothing before start or after stop", async () => {
    const { s, looks } = schedule();
    s.request();
    await vi.advanceTimersByTimeAsync(5000);
    expect(looks).toEqual([]);
    s.stop();
    s.start(Promise.resolve());
    await vi.advanceTimersByTimeAsync(5000);
    expect(looks).toEqual([]);
  });
});

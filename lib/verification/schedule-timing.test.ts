import { describe, expect, it } from "vitest";
import { nextSlots, slotAllowed, slotDecision, slotsBetween, timingProblem } from "./schedule-timing";

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe("schedule timing", () => {
  it("lists the cron's next slots in the schedule's time zone", () => {
    const t = { cron: "0 10 * * *", timeZone: "Europe/Berlin" };
    // 10:00 in Berlin is 09:00 UTC in winter.
    expect(iso(nextSlots(t, new Date("2026-12-06T12:00:00Z"), 2))).toEqual(["2026-12-07T09:00:00.000Z", "2026-12-08T09:00:00.000Z"]);
  });

  it("skips slots outside the allowed windows and on blackout dates", () => {
    const t = {
      cron: "0 * * * *",
      timeZone: "UTC",
      windows: [{ days: ["mon" as const, "tue" as const], from: "09:00", to: "11:00" }],
      blackoutDates: ["2026-12-08"],
    };
    // Sunday 2026-12-06: next allowed are Monday 09:00 and 10:00, then Tuesday is blacked out,
    // so Monday a week later.
    expect(iso(nextSlots(t, new Date("2026-12-06T12:00:00Z"), 3))).toEqual([
      "2026-12-07T09:00:00.000Z",
      "2026-12-07T10:00:00.000Z",
      "2026-12-14T09:00:00.000Z",
    ]);
  });

  it("reads a window past midnight as belonging to the day it starts", () => {
    const t = { cron: "0 * * * *", timeZone: "UTC", windows: [{ days: ["fri" as const], from: "22:00", to: "02:00" }] };
    expect(slotAllowed(t, new Date("2026-12-11T23:00:00Z"))).toBe(true); // Friday 23:00
    expect(slotAllowed(t, new Date("2026-12-12T01:00:00Z"))).toBe(true); // Saturday 01:00, Friday's window
    expect(slotAllowed(t, new Date("2026-12-12T23:00:00Z"))).toBe(false); // Saturday 23:00
  });

  it("gives up on a window the cron never meets instead of spinning", () => {
    const t = { cron: "0 3 * * *", timeZone: "UTC", windows: [{ from: "09:00", to: "17:00" }] };
    expect(nextSlots(t, new Date("2026-12-06T00:00:00Z"), 1)).toEqual([]);
  });

  it("finds a per-second cron's first slot in a weekend window, days of closed time away", () => {
    const t = { cron: "*/10 * * * * *", timeZone: "UTC", windows: [{ days: ["sat" as const], from: "08:00", to: "09:00" }] };
    // Monday 12:00:05: 400,000 ten-second slots before Saturday; the first allowed is 08:00:00.
    expect(iso(nextSlots(t, new Date("2026-12-07T12:00:05Z"), 2))).toEqual(["2026-12-12T08:00:00.000Z", "2026-12-12T08:00:10.000Z"]);
    expect(timingProblem(t)).toBeNull();
  });

  it("skips closed time across a daylight-saving change without skipping the window's first slot", () => {
    // Berlin moves its clocks from 02:00 to 03:00 on 2027-03-28: 09:00 local is 07:00 UTC that day.
    const t = { cron: "*/5 * * * *", timeZone: "Europe/Berlin", windows: [{ days: ["sun" as const], from: "09:00", to: "10:00" }] };
    expect(iso(nextSlots(t, new Date("2027-03-27T20:00:00Z"), 1))).toEqual(["2027-03-28T07:00:00.000Z"]);
    // And back on 2026-10-25 (03:00 -> 02:00): 09:00 local is 08:00 UTC.
    expect(iso(nextSlots(t, new Date("2026-10-24T20:00:00Z"), 1))).toEqual(["2026-10-25T08:00:00.000Z"]);
  });

  it("lists what should have fired between two looks", () => {
    const t = { cron: "* * * * *", timeZone: "UTC" };
    expect(iso(slotsBetween(t, new Date("2026-12-06T12:00:00Z"), new Date("2026-12-06T12:03:30Z")))).toEqual([
      "2026-12-06T12:01:00.000Z",
      "2026-12-06T12:02:00.000Z",
      "2026-12-06T12:03:00.000Z",
    ]);
  });

  it("runs a slot within its grace, records it missed after, waits before", () => {
    const slot = new Date("2026-12-06T12:00:00Z");
    expect(slotDecision(slot, new Date("2026-12-06T12:00:20Z"), 30)).toBe("run");
    expect(slotDecision(slot, new Date("2026-12-06T12:00:31Z"), 30)).toBe("missed");
    expect(slotDecision(slot, new Date("2026-12-06T11:59:59Z"), 30)).toBe("not-yet");
  });

  it("says what is wrong with a timing", () => {
    expect(timingProblem({ cron: "0 10 * * *", timeZone: "Europe/Berlin" })).toBeNull();
    expect(timingProblem({ cron: "0 10 * * *", timeZone: "Mars/Olympus" })).toMatch(/not an IANA time zone/);
    expect(timingProblem({ cron: "every day", timeZone: "UTC" })).toMatch(/not a cron expression/);
    expect(timingProblem({ cron: "0 * * * *", timeZone: "UTC", windows: [{ from: "9:00", to: "17:00" }] })).toMatch(/HH:MM/);
    expect(timingProblem({ cron: "0 3 * * *", timeZone: "UTC", windows: [{ from: "09:00", to: "17:00" }] })).toMatch(/never fires inside/);
    expect(timingProblem({ cron: "0 * * * *", timeZone: "UTC", blackoutDates: ["24.12.2026"] })).toMatch(/YYYY-MM-DD/);
  });
});

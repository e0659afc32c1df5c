import { describe, expect, it } from "vitest";
import { dueRequests, outcomeKey, plannedRequest } from "./traffic-plan";

describe("traffic plan", () => {
  it("L3 creates a session first, then reads and deletes it", () => {
    expect(plannedRequest("L3", 1, null)).toMatchObject({ method: "POST", path: "/sessions" });
    expect(plannedRequest("L3", 1, "s1")).toEqual({ method: "GET", path: "/sessions/s1" });
    expect(plannedRequest("L3", 2, "s1")).toEqual({ method: "DELETE", path: "/sessions/s1" });
    expect(plannedRequest("L3", 3, "s1")).toMatchObject({ method: "POST" });
  });
  it("L1 requests carry a tenant", () => {
    expect(plannedRequest("L1", 0, null).headers?.["x-tenant-id"]).toMatch(/^t-/);
  });
  it("counts outcomes by status, timeout or error", () => {
    expect(outcomeKey(503, false)).toBe("503");
    expect(outcomeKey(null, true)).toBe("timeout");
    expect(outcomeKey(null, false)).toBe("error");
  });
  it("spreads a rate over ticks, carrying fractions", () => {
    let carry = 0;
    let sent = 0;
    for (let i = 0; i < 20; i++) {
      const d = dueRequests(carry, 20, 50);
      carry = d.carry;
      sent += d.send;
    }
    expect(sent).toBe(20);
    expect(dueRequests(0, 5, 50)).toEqual({ send: 0, carry: 0.25 });
  });
});

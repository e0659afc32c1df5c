import { describe, expect, it } from "vitest";
import { DEFAULT_TENANT_LIMIT, rateDecision, tenantLimit, windowMember, windowStart } from "./sliding-window";

describe("sliding window", () => {
  it("trims everything at or older than one window back", () => {
    expect(windowStart(10_000)).toBe(9_000);
    expect(windowStart(10_000, 250)).toBe(9_750);
  });
  it("allows up to the limit, this request included", () => {
    expect(rateDecision(1, 3)).toEqual({ allowed: true, remaining: 2 });
    expect(rateDecision(3, 3)).toEqual({ allowed: true, remaining: 0 });
    expect(rateDecision(4, 3)).toEqual({ allowed: false, remaining: 0 });
  });
  it("gives two requests in the same millisecond distinct members", () => {
    let i = 0;
    const rnd = () => [0.1, 0.2][i++];
    expect(windowMember(5, rnd)).not.toBe(windowMember(5, rnd));
  });
  it("reads a tenant's limit, falling back to the default", () => {
    expect(tenantLimit("3")).toBe(3);
    expect(tenantLimit(null)).toBe(DEFAULT_TENANT_LIMIT);
    expect(tenantLimit("0")).toBe(DEFAULT_TENANT_LIMIT);
    expect(tenantLimit("abc")).toBe(DEFAULT_TENANT_LIMIT);
  });
});

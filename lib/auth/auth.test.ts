import { describe, expect, it } from "vitest";
import { AttemptLimiter, clientKey } from "./attempt-limiter";
import { LoginCodes, LOGIN_CODE_TTL_MS } from "./login-codes";
import { operatorTokenProblem, tokenMatches } from "./session";
import { SESSION_SECONDS, SessionStore } from "./session-store";

const token = "a-long-operator-token-of-32-chars!";

describe("operator sessions (server side)", () => {
  it("accepts a session it issued, and nothing else", () => {
    const store = new SessionStore();
    const { id } = store.issue(token, 1_000_000);
    expect(store.valid(id, token, 1_000_000)).toBe(true);
    expect(store.valid(id + "x", token, 1_000_000)).toBe(false);
    expect(store.valid(undefined, token)).toBe(false);
    expect(id).not.toContain(token);
  });
  it("logout revokes it at once; expiry and a rotated token end it", () => {
    const store = new SessionStore();
    const a = store.issue(token, 0).id;
    store.revoke(a);
    expect(store.valid(a, token, 1)).toBe(false);
    const b = store.issue(token, 0).id;
    expect(store.valid(b, "another-operator-token-entirely-xx", 1)).toBe(false);
    expect(store.valid(b, token, 1)).toBe(false); // ended by the mismatch, not just refused
    const c = store.issue(token, 0).id;
    expect(store.valid(c, token, SESSION_SECONDS * 1000 + 1)).toBe(false);
  });
  it("compares tokens of any length", () => {
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches("a", token)).toBe(false);
  });
  it("refuses an operator token shorter than 32 characters, naming the fix", () => {
    expect(operatorTokenProblem("short-token")).toMatch(/11 characters; it must be at least 32/);
    expect(operatorTokenProblem(token)).toBeNull();
    expect(operatorTokenProblem(undefined)).toBeNull();
  });
});

describe("one-time login codes", () => {
  it("work once, then never again", () => {
    const codes = new LoginCodes();
    const { code } = codes.mint(0);
    expect(code.length).toBeGreaterThanOrEqual(22);
    expect(codes.redeem(code, 1)).toBe(true);
    expect(codes.redeem(code, 2)).toBe(false);
  });
  it("expire after ten minutes", () => {
    const codes = new LoginCodes();
    const { code } = codes.mint(0);
    expect(codes.redeem(code, LOGIN_CODE_TTL_MS + 1)).toBe(false);
  });
});

describe("AttemptLimiter", () => {
  it("allows 5 failures a minute per client, then asks to wait, then forgets", () => {
    const l = new AttemptLimiter(5, 50, 60_000);
    for (let i = 0; i < 5; i++) {
      expect(l.check("ip", 1000 + i).limited).toBe(false);
      l.fail("ip", 1000 + i);
    }
    expect(l.check("ip", 2000)).toMatchObject({ limited: true, scope: "client" });
    expect(l.check("other", 2000).limited).toBe(false);
    expect(l.check("ip", 62_000).limited).toBe(false);
  });
  it("a spread-out guess hits the global ceiling; one client alone cannot reach it", () => {
    const l = new AttemptLimiter(5, 20, 60_000);
    for (let i = 0; i < 20; i++) l.fail(`bot-${i}`, 1000);
    expect(l.check("someone-new", 1001)).toMatchObject({ limited: true, scope: "global" });
    const solo = new AttemptLimiter(5, 20, 60_000);
    for (let i = 0; i < 50; i++) if (!solo.check("attacker", 1000 + i).limited) solo.fail("attacker", 1000 + i);
    expect(solo.check("operator", 2000).limited).toBe(false);
  });
});

describe("clientKey", () => {
  const h = (xff?: string) => new Headers(xff ? { "x-forwarded-for": xff } : {});
  it("without a trusted proxy every client is one (the console binds to loopback)", () => {
    expect(clientKey(h("203.0.113.9"), false)).toBe("direct");
  });
  it("behind a trusted proxy: the entry the proxy appended, not what the client wrote", () => {
    expect(clientKey(h("1.2.3.4, 198.51.100.7"), true)).toBe("198.51.100.7");
    expect(clientKey(h("198.51.100.7"), true)).toBe("198.51.100.7");
    expect(clientKey(h(), true)).toBe("direct");
  });
});

import { describe, expect, it } from "vitest";
import { LoginLimiter } from "./login-limiter";
import { issueSession, sessionValid, tokenMatches } from "./session";

describe("operator session", () => {
  const token = "a-long-operator-token";
  it("accepts its own cookie and refuses a forged or expired one", () => {
    const { value } = issueSession(token, 1_000_000);
    expect(sessionValid(value, token, 1_000_000)).toBe(true);
    expect(sessionValid(value, "another-token-entirely", 1_000_000)).toBe(false);
    const [exp, mac] = value.split(".");
    expect(sessionValid(`${Number(exp) + 3600}.${mac}`, token, 1_000_000)).toBe(false);
    expect(sessionValid(value, token, (Number(exp) + 1) * 1000)).toBe(false);
    expect(sessionValid("garbage", token)).toBe(false);
    expect(sessionValid(undefined, token)).toBe(false);
  });
  it("the cookie does not contain the token", () => {
    expect(issueSession(token).value).not.toContain(token);
  });
  it("compares tokens of any length", () => {
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches("a", token)).toBe(false);
  });
});

describe("LoginLimiter", () => {
  it("allows 5 failures a minute, then asks to wait, then forgets", () => {
    const l = new LoginLimiter(5, 60_000);
    for (let i = 0; i < 5; i++) {
      expect(l.retryAfter("ip", 1000 + i)).toBe(0);
      l.fail("ip", 1000 + i);
    }
    expect(l.retryAfter("ip", 2000)).toBeGreaterThan(0);
    expect(l.retryAfter("other", 2000)).toBe(0);
    expect(l.retryAfter("ip", 62_000)).toBe(0);
  });
});

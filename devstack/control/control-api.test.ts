import { describe, expect, it } from "vitest";
import { redactor } from "./control-api";
import { bearerMatches } from "./control-server";

describe("bearerMatches", () => {
  const token = "0123456789abcdef0123456789abcdef";
  it("accepts exactly the token", () => {
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
  });
  it("refuses a missing, wrong, prefixed or differently-schemed token", () => {
    expect(bearerMatches(undefined, token)).toBe(false);
    expect(bearerMatches("", token)).toBe(false);
    expect(bearerMatches(`Bearer ${token}x`, token)).toBe(false);
    expect(bearerMatches(`Basic ${token}`, token)).toBe(false);
    expect(bearerMatches(token, token)).toBe(false);
  });
});

describe("redactor", () => {
  it("replaces every occurrence of every secret", () => {
    const redact = redactor(["s3cret-password", "control-token-123"]);
    expect(redact("auth s3cret-password failed; token control-token-123; again s3cret-password")).toBe(
      "auth [redacted] failed; token [redacted]; again [redacted]",
    );
  });
  it("ignores secrets too short to be real, so it never mangles ordinary text", () => {
    expect(redactor(["", "ab"])("a b ab")).toBe("a b ab");
  });
});

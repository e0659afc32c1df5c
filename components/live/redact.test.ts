import { describe, expect, it } from "vitest";
import { redact } from "./use-present-mode";

describe("redact", () => {
  it("masks addresses, ports and key names only in presentation mode", () => {
    const text = "Sentinel: master is now 127.0.0.1:6401 (was 127.0.0.1:6400); key l3:session:abc evicted; port 6405";
    expect(redact(text, false)).toBe(text);
    const shown = redact(text, true);
    expect(shown).not.toMatch(/127\.0\.0\.1|6401|6400|l3:session|6405/);
    expect(shown).toContain("Sentinel: master is now •••");
  });
});

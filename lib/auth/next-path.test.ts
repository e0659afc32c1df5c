import { describe, expect, it } from "vitest";
import { safeNextPath } from "./next-path";

describe("safeNextPath", () => {
  it("keeps the console's own paths", () => {
    expect(safeNextPath("/chaos?deployment=lab")).toBe("/chaos?deployment=lab");
    expect(safeNextPath("/timeline")).toBe("/timeline");
  });
  it("refuses anything that leaves the console", () => {
    for (const bad of [
      "https://evil.example",
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "/\n/evil",
      "javascript:alert(1)",
      "evil.example",
      "",
    ]) {
      expect(safeNextPath(bad)).toBe("/chaos");
    }
    expect(safeNextPath(null)).toBe("/chaos");
  });
});

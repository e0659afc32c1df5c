import { describe, expect, it } from "vitest";
import { timelineToMarkdown } from "./export";

describe("timelineToMarkdown", () => {
  it("renders a table row per event, escaping pipes", () => {
    const md = timelineToMarkdown(
      [
        { id: 1, at: "2026-11-26T10:00:00.000Z", kind: "redis", severity: "page", title: "redis-a down", detail: "connection refused | process down" },
        { id: 2, at: "2026-11-26T10:00:05.000Z", kind: "layer", severity: "warn", title: "L3 unavailable" },
      ],
      { deployment: "sandbox", generatedAt: "2026-11-26T10:01:00.000Z" },
    );
    expect(md).toContain("# Incident timeline — sandbox");
    expect(md).toContain("2 events from 2026-11-26T10:00:00.000Z to 2026-11-26T10:00:05.000Z");
    expect(md).toContain("| redis-a down | connection refused \\| process down |");
    expect(md.split("\n").filter((l) => l.startsWith("| 2026"))).toHaveLength(2);
  });
});

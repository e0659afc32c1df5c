import { describe, expect, it } from "vitest";
import { mdCell, mdText } from "./escape";

describe("Markdown escaping", () => {
  it("HTML never renders", () => {
    expect(mdText('<img src=x onerror="alert(1)">')).toBe("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(mdText("<script>alert('x')</script>")).not.toMatch(/<|>/);
  });
  it("Markdown in a field stays text: no links, no code, no extra columns or lines", () => {
    expect(mdText("[click](javascript:alert(1))")).toBe("\\[click\\](javascript:alert(1))");
    expect(mdCell("a | b\nc")).toBe("a \\| b c");
    expect(mdText("`rm -rf` *bold* _it_ \\")).toBe("\\`rm -rf\\` \\*bold\\* \\_it\\_ \\\\");
  });
  it("plain text is unchanged", () => {
    expect(mdText("READONLY You can't write against a read only replica.")).toBe("READONLY You can&#39;t write against a read only replica.");
    expect(mdText("127.0.0.1:6400 down")).toBe("127.0.0.1:6400 down");
  });
});

describe("exports escape every field", () => {
  it("a chaos report and a timeline with hostile text render none of it", async () => {
    const { runToMarkdown } = await import("../chaos/report");
    const { timelineToMarkdown } = await import("../timeline/export");
    const evil = "<img src=x onerror=alert(1)> [x](javascript:alert(1)) | col";
    const run = {
      id: "r1",
      scenario: "outage",
      params: { note: evil },
      state: "failed",
      startedAt: "2026-01-01T00:00:00.000Z",
      endedAt: null,
      origin: "api",
      steps: [{ name: "inject", state: "failed", startedAt: null, endedAt: null, detail: evil }],
      checks: [{ expect: evil, observed: evil, ok: false, verdict: "refuted" }],
      metrics: { m: evil },
      error: evil,
      postflight: { healthy: false, problems: [evil] },
    };
    const report = runToMarkdown(run as never);
    const timeline = timelineToMarkdown([{ at: "2026-01-01T00:00:00.000Z", kind: "redis", severity: "page", title: evil, detail: evil }] as never, {
      deployment: evil,
      generatedAt: "2026-01-01T00:00:00.000Z",
    });
    for (const md of [report, timeline]) {
      expect(md).not.toContain("<img");
      expect(md).not.toMatch(/[^\\]\]\(javascript:/);
      expect(md).not.toMatch(/[^\\]\| col/);
    }
  });
});

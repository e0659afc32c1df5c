import { describe, expect, it } from "vitest";
import { SseFrameReader } from "./frames";

describe("SseFrameReader", () => {
  it("splits events across chunk boundaries and drops comments", () => {
    const r = new SseFrameReader();
    expect(r.push('retry: 2000\nevent: snapshot\ndata: {"a"')).toEqual([]);
    expect(r.push(":1}\n\n: heartbeat 1\n\nevent: timeline\ndata: x\n\n")).toEqual([
      { event: "snapshot", data: '{"a":1}' },
      { event: "timeline", data: "x" },
    ]);
  });
  it("joins multi-line data and defaults the event name", () => {
    expect(new SseFrameReader().push("data: a\ndata: b\n\n")).toEqual([{ event: "message", data: "a\nb" }]);
  });
});

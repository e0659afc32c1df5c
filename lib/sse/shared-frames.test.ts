import { describe, expect, it } from "vitest";
import { SharedFrames } from "./shared-frames";

describe("SharedFrames", () => {
  it("encodes an event's frame once for every subscriber, and anew when the JSON changes", () => {
    const f = new SharedFrames();
    const a = f.frame("snapshot", '{"at":1}');
    expect(new TextDecoder().decode(a)).toBe('event: snapshot\ndata: {"at":1}\n\n');
    expect(f.frame("snapshot", '{"at":1}')).toBe(a);
    expect(f.frame("timeline", '{"at":1}')).not.toBe(a);
    expect(f.frame("snapshot", '{"at":2}')).not.toBe(a);
  });
});

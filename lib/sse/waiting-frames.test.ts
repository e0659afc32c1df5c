import { describe, expect, it } from "vitest";
import { WaitingFrames } from "./waiting-frames";

const bytes = (s: string) => new TextEncoder().encode(s);
const drain = (w: WaitingFrames) => {
  const out: string[] = [];
  for (let b = w.next(); b; b = w.next()) out.push(new TextDecoder().decode(b));
  return out;
};

describe("WaitingFrames", () => {
  it("keeps only the newest snapshot, in the place the first one waited", () => {
    const w = new WaitingFrames(new Set(["timeline"]));
    w.add("snapshot", bytes("s1"));
    w.add("timeline", bytes("t1"));
    w.add("snapshot", bytes("s2"));
    expect(drain(w)).toEqual(["s2", "t1"]);
  });

  it("keeps every timeline event of a burst, in order", () => {
    const w = new WaitingFrames(new Set(["timeline"]));
    for (const t of ["t1", "t2", "t3"]) w.add("timeline", bytes(t));
    w.add("snapshot", bytes("s1"));
    w.add("timeline", bytes("t4"));
    expect(drain(w)).toEqual(["t1", "t2", "t3", "s1", "t4"]);
  });

  it("holds a bounded number for a client that never reads: the oldest timeline events go first", () => {
    const w = new WaitingFrames(new Set(["timeline"]), 3);
    for (let i = 1; i <= 10; i++) {
      w.add("timeline", bytes(`t${i}`));
      w.add("snapshot", bytes(`s${i}`));
    }
    expect(w.size).toBe(4);
    expect(drain(w)).toEqual(["s10", "t8", "t9", "t10"]);
  });
});

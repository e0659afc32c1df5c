import { describe, expect, it } from "vitest";
import { mergePending, PendingRecords } from "./pending";

describe("PendingRecords", () => {
  it("keeps what is queued until its save is done, and a newer version past an older save", () => {
    const p = new PendingRecords<{ id: string; v: number }>();
    const first = p.add([
      { id: "a", v: 1 },
      { id: "b", v: 1 },
    ]);
    const second = p.add([{ id: "a", v: 2 }]);
    p.done(first);
    expect(p.list()).toEqual([{ id: "a", v: 2 }]);
    p.done(second);
    expect(p.list()).toEqual([]);
  });

  it("is bounded: past the limit the oldest queued are forgotten", () => {
    const p = new PendingRecords<{ id: number }>(2);
    p.add([{ id: 1 }, { id: 2 }]);
    p.add([{ id: 3 }]);
    expect(p.list().map((x) => x.id)).toEqual([2, 3]);
  });
});

describe("mergePending", () => {
  it("lays pending records over the stored ones by id and adds the new", () => {
    const stored = [
      { id: 1, t: "stored" },
      { id: 2, t: "stored" },
    ];
    expect(
      mergePending(stored, [
        { id: 2, t: "pending" },
        { id: 3, t: "pending" },
      ]),
    ).toEqual([
      { id: 1, t: "stored" },
      { id: 2, t: "pending" },
      { id: 3, t: "pending" },
    ]);
    expect(mergePending(stored, [])).toBe(stored);
  });
});

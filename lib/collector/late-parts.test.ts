import { describe, expect, it } from "vitest";
import { settleWithin } from "./late-parts";

const never = () => new Promise<void>(() => {});

describe("settleWithin", () => {
  it("waits for every part when all land inside the grace", async () => {
    const parts = [Promise.resolve(1), Promise.reject(new Error("x")), Promise.resolve(3)];
    expect(await settleWithin(parts, 10_000)).toEqual([]);
  });

  it("returns the parts still out when the grace ends, and only those", async () => {
    const out = never();
    const landed = Promise.resolve("ok");
    const late = await settleWithin([landed, out], 5);
    expect(late).toEqual([out]);
  });

  it("with no grace, a part that already landed is still counted as landed", async () => {
    const landed = Promise.resolve("ok");
    await landed;
    const out = never();
    expect(await settleWithin([landed, out], 0)).toEqual([out]);
  });
});

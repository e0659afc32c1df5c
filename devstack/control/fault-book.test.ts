import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_TTL_SECONDS, effectiveTtl, FaultBook, type UndoReason } from "./fault-book";

describe("FaultBook", () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it("undoes a fault when its TTL runs out, and lists it until then", async () => {
    const book = new FaultBook(() => {});
    const undone: UndoReason[] = [];
    const f = book.add("proxy-latency", "proxy", { ms: 100 }, 2, async (r) => void undone.push(r));
    expect(f.expiresAt).toBe(new Date(2000).toISOString());
    expect(book.list()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1999);
    expect(undone).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(undone).toEqual(["expired"]);
    expect(book.list()).toEqual([]);
  });

  it("a new fault on the same knob replaces the old one without undoing it", async () => {
    const book = new FaultBook(() => {});
    const undo1 = vi.fn(async () => {});
    const undo2 = vi.fn(async () => {});
    book.add("proxy-latency", "proxy", { ms: 100 }, 1, undo1);
    book.add("proxy-latency", "proxy", { ms: 200 }, 5, undo2);
    await vi.advanceTimersByTimeAsync(1500);
    expect(undo1).not.toHaveBeenCalled();
    expect(book.list()[0].params).toEqual({ ms: 200 });
    await vi.advanceTimersByTimeAsync(4000);
    expect(undo2).toHaveBeenCalledOnce();
  });

  it("clear undoes all with the reason, soonest first in list", async () => {
    const book = new FaultBook(() => {});
    const seen: string[] = [];
    book.add("node-kill", "redis-a", {}, 60, async (r) => void seen.push(`kill:${r}`));
    book.add("proxy-cut", "proxy", {}, 10, async (r) => void seen.push(`cut:${r}`));
    expect(book.list().map((f) => f.kind)).toEqual(["proxy-cut", "node-kill"]);
    const undone = await book.clear("reset");
    expect(undone).toHaveLength(2);
    expect(seen.sort()).toEqual(["cut:reset", "kill:reset"]);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(seen).toHaveLength(2);
  });

  it("an undo that throws is logged, not thrown, and the fault is gone", async () => {
    const log = vi.fn();
    const book = new FaultBook(log);
    book.add("memory-fill", "master", {}, 1, async () => {
      throw new Error("master down");
    });
    expect(await book.remove("memory-fill", "master")).toBe(true);
    expect(log.mock.calls[0][0]).toMatch(/failed.*master down/);
    expect(book.has("memory-fill", "master")).toBe(false);
  });

  it("forget drops without undo", async () => {
    const book = new FaultBook(() => {});
    const undo = vi.fn(async () => {});
    book.add("node-freeze", "redis-b", {}, 1, undo);
    book.forget("node-freeze", "redis-b");
    await vi.advanceTimersByTimeAsync(2000);
    expect(undo).not.toHaveBeenCalled();
  });

  it("defaults the TTL", () => {
    expect(effectiveTtl(undefined)).toBe(DEFAULT_TTL_SECONDS);
    expect(effectiveTtl(5)).toBe(5);
  });
});

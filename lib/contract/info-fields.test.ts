import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { infoFields, memoryCountedForEviction } from "./info-fields";

describe("memoryCountedForEviction", () => {
  it("is used_memory without what maxmemory does not count (replica output and AOF buffers)", () => {
    const info = fs.readFileSync(path.join(__dirname, "../redis/fixtures/info-master-7.0.15.txt"), "utf8");
    expect(memoryCountedForEviction(infoFields(info))).toBe(1762696 - 1792);
    // A lagging replica's output buffer swells used_memory, not the share eviction counts.
    expect(memoryCountedForEviction({ used_memory: "60000000", mem_not_counted_for_evict: "9000000" })).toBe(51_000_000);
    expect(memoryCountedForEviction({ used_memory: "1000" })).toBe(1000);
  });
});

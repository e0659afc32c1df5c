import { describe, expect, it } from "vitest";
import { crc16, hashSlot, hashedPart, taggedKey } from "./cluster-keys";

describe("cluster hash slots", () => {
  it("computes CRC16-XMODEM as Redis does (the spec's check value)", () => {
    // Redis Cluster spec: "123456789" → 0x31C3.
    expect(crc16(Buffer.from("123456789"))).toBe(0x31c3);
  });

  it("gives the slots redis-cli CLUSTER KEYSLOT gives", () => {
    // Values from `CLUSTER KEYSLOT` on Redis 7.0.15.
    expect(hashSlot("foo")).toBe(12182);
    expect(hashSlot("bar")).toBe(5061);
    expect(hashSlot("somekey")).toBe(11058);
  });

  it("hashes only the first non-empty hash tag", () => {
    expect(hashedPart("l1:rl:{t-1}")).toBe("t-1");
    expect(hashSlot("l1:rl:{t-1}")).toBe(hashSlot("l1:tenant:{t-1}"));
    expect(hashedPart("a{}b")).toBe("a{}b");
    expect(hashedPart("a{b")).toBe("a{b");
    expect(hashedPart("{x}{y}")).toBe("x");
  });

  it("builds tagged keys", () => {
    expect(taggedKey("l3:hitl:", "abc", ":queue")).toBe("l3:hitl:{abc}:queue");
  });
});

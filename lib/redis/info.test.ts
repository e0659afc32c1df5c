import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { infoFields, pairsToRecord, parseInfo } from "./info";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "fixtures", name), "utf8");

describe("parseInfo on real redis-server 7.0.15 output", () => {
  it("reads a master's memory, stats, persistence and replicas", () => {
    const info = parseInfo(fixture("info-master-7.0.15.txt"));
    expect(info.role).toBe("master");
    expect(info.redisVersion).toBe("7.0.15");
    expect(info.maxmemory).toBe(64 * 1024 * 1024);
    expect(info.maxmemoryPolicy).toBe("allkeys-lru");
    expect(info.usedMemory).toBeGreaterThan(100_000);
    expect(info.keys).toBe(200);
    expect(info.keyspaceHits).toBe(1);
    expect(info.keyspaceMisses).toBe(1);
    expect(info.aofEnabled).toBe(true);
    expect(info.aofLastWriteStatus).toBe("ok");
    expect(info.rdbLastBgsaveStatus).toBe("ok");
    expect(info.replicas).toHaveLength(1);
    expect(info.replicas[0]).toMatchObject({ addr: "127.0.0.1:18001", state: "online" });
    expect(info.masterAddr).toBeNull();
    expect(info.fragmentationRatio).toBeGreaterThan(0);
  });

  it("reads a replica's link to its master", () => {
    const info = parseInfo(fixture("info-replica-7.0.15.txt"));
    expect(info.role).toBe("replica");
    expect(info.masterAddr).toBe("127.0.0.1:18000");
    expect(info.masterLinkUp).toBe(true);
    expect(info.replicaReplOffset).toBeGreaterThan(0);
    expect(info.replicaPriority).toBe(100);
  });

  it("recognises a sentinel", () => {
    expect(parseInfo(fixture("info-sentinel-7.0.15.txt")).role).toBe("sentinel");
  });

  it("tolerates garbage and missing fields without throwing", () => {
    const info = parseInfo("# Server\r\nnonsense\r\nused_memory:abc\r\n");
    expect(info.role).toBe("unknown");
    expect(info.usedMemory).toBe(0);
    expect(info.replicas).toEqual([]);
  });
});

describe("pairsToRecord", () => {
  it("turns a flat reply into a record", () => {
    const lines = fixture("sentinel-master-7.0.15.txt").trim().split(/\r?\n/);
    const rec = pairsToRecord(lines);
    expect(rec.name).toBe("mymaster");
    expect(rec.quorum).toBe("2");
    expect(rec.flags).toBe("master");
  });
  it("ignores non-arrays", () => expect(pairsToRecord(null)).toEqual({}));
});

describe("infoFields", () => {
  it("reads fields across sections, skipping headers, with CRLF as Redis sends it", () => {
    const fields = infoFields(fixture("info-replica-7.0.15.txt").replace(/\r?\n/g, "\r\n"));
    expect(fields.role).toBe("slave");
    expect(fields.master_link_status).toBe("up");
    expect(Object.keys(fields).some((k) => k.startsWith("#"))).toBe(false);
  });
  it("keeps colons inside a value", () =>
    expect(infoFields("# Server\r\nexecutable:/usr/bin/redis-server\r\nx:a:b\r\n")).toEqual({ executable: "/usr/bin/redis-server", x: "a:b" }));
});

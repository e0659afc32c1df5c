import { describe, expect, it } from "vitest";
import { auditSettings, BASELINE, savePoints } from "./baseline";

/** What the guide's production column asks for, as CONFIG GET answers it. */
const production: Record<string, string> = {
  appendonly: "yes",
  appendfsync: "everysec",
  maxmemory: String(2 * 1024 ** 3),
  "maxmemory-policy": "allkeys-lru",
  save: "900 1",
  "tcp-keepalive": "60",
  timeout: "300",
  requirepass: "s3cret",
  masterauth: "s3cret",
  "replica-read-only": "yes",
  "min-replicas-to-write": "1",
};
/** Redis's own defaults: the guide's "Dev Default" column. */
const devDefaults: Record<string, string> = {
  appendonly: "no",
  appendfsync: "everysec",
  maxmemory: "0",
  "maxmemory-policy": "noeviction",
  save: "",
  "tcp-keepalive": "300",
  timeout: "0",
  requirepass: "",
  masterauth: "",
  "replica-read-only": "yes",
  "min-replicas-to-write": "0",
};
const byName = (values: Record<string, string | undefined>, scope: "node" | "sentinel" = "node") =>
  Object.fromEntries(auditSettings(scope, values).map((v) => [v.name, v]));

describe("auditSettings (node)", () => {
  it("passes the guide's production settings", () => {
    expect(auditSettings("node", production).filter((v) => v.status !== "ok")).toEqual([]);
  });

  it("flags each dev default as drift, and min-replicas-to-write 0 as a recommendation, not drift", () => {
    const v = byName(devDefaults);
    for (const name of ["appendonly", "maxmemory", "maxmemory-policy", "save", "tcp-keepalive", "timeout", "requirepass", "masterauth"])
      expect(v[name].status, name).toBe("drift");
    expect(v["min-replicas-to-write"].status).toBe("recommendation");
    expect(v["appendfsync"].status).toBe("ok");
  });

  it("reads the sandbox's small maxmemory as drift from 2gb+, shown the way redis.conf writes it", () => {
    expect(byName({ maxmemory: String(64 * 1024 * 1024) }).maxmemory).toMatchObject({ status: "drift", value: "64mb" });
    expect(byName({ maxmemory: "0" }).maxmemory).toMatchObject({ status: "drift", value: "0 (no limit)" });
    expect(byName({ maxmemory: "1000" }).maxmemory.value).toBe("1000 bytes");
    expect(byName({ maxmemory: String(4 * 1024 ** 3) }).maxmemory.status).toBe("ok");
  });

  it("accepts a save schedule that includes 900 1 and shows an empty one as disabled", () => {
    expect(byName({ save: "3600 1 900 1 60 10000" }).save.status).toBe("ok");
    expect(byName({ save: "" }).save).toMatchObject({ status: "drift", value: '"" (disabled)' });
    expect(savePoints("900 1 300 10")).toEqual([
      [900, 1],
      [300, 10],
    ]);
  });

  it("never shows a password, only whether one is set", () => {
    const v = byName({ requirepass: "s3cret", masterauth: "" });
    expect(v.requirepass.value).toBe("set");
    expect(v.masterauth.value).toBe("not set");
    expect(JSON.stringify(auditSettings("node", production))).not.toContain("s3cret");
  });

  it("marks a setting it could not read as unknown instead of guessing", () => {
    expect(byName({}).appendonly).toEqual({ name: "appendonly", value: null, status: "unknown" });
  });
});

describe("auditSettings (sentinel)", () => {
  it("compares SENTINEL MASTER fields with the guide's sentinel.conf", () => {
    const v = byName({ quorum: "2", "down-after-milliseconds": "2000", "failover-timeout": "10000", "parallel-syncs": "1" }, "sentinel");
    expect(v.quorum.status).toBe("ok");
    expect(v["down-after-milliseconds"].status).toBe("drift");
    expect(v["failover-timeout"].status).toBe("ok");
  });
});

describe("BASELINE", () => {
  it("holds the guide's table rows with its Production and Dev Default columns and its reasons", () => {
    const row = (name: string) => BASELINE.find((b) => b.name === name)!;
    expect(row("appendonly")).toMatchObject({ production: "yes", devDefault: "no", why: "Data survives restart" });
    expect(row("tcp-keepalive")).toMatchObject({ production: "60", devDefault: "300", why: "Detect dead connections faster" });
    expect(row("min-replicas-to-write")).toMatchObject({ source: "recommendation" });
    expect(row("min-replicas-to-write").why).toContain("Acknowledged writes can be lost on failover");
  });
});

import { describe, expect, it } from "vitest";
import { settingsFromInfo } from "./settings-from-info";

const byName = (info: Record<string, string>) => Object.fromEntries(settingsFromInfo(info).map((v) => [v.name, v]));

describe("settingsFromInfo", () => {
  it("judges what INFO states on a master, marked from INFO, and leaves the rest unknown", () => {
    const s = byName({ role: "master", maxmemory: String(2 * 1024 ** 3), maxmemory_policy: "allkeys-lru", aof_enabled: "0" });
    expect(s.maxmemory).toEqual({ name: "maxmemory", value: "2gb", status: "ok", from: "info" });
    expect(s["maxmemory-policy"]).toEqual({ name: "maxmemory-policy", value: "allkeys-lru", status: "ok", from: "info" });
    expect(s.appendonly).toEqual({ name: "appendonly", value: "no", status: "drift", from: "info" });
    expect(s["min-replicas-to-write"]).toMatchObject({ status: "recommendation", from: "info" });
    // A master does not report replica-read-only; INFO never says appendfsync, save, timeouts or secrets.
    for (const name of ["replica-read-only", "appendfsync", "save", "tcp-keepalive", "timeout", "requirepass", "masterauth"])
      expect(s[name], name).toEqual({ name, value: null, status: "unknown" });
  });

  it("reads replica-read-only on a replica and min-replicas-to-write from min_slaves_good_slaves", () => {
    const s = byName({ role: "slave", slave_read_only: "1", maxmemory: "0", maxmemory_policy: "noeviction", min_slaves_good_slaves: "0" });
    expect(s["replica-read-only"]).toMatchObject({ value: "yes", status: "ok", from: "info" });
    expect(s.maxmemory).toMatchObject({ value: "0 (no limit)", status: "drift" });
    expect(s["min-replicas-to-write"]).toMatchObject({ status: "ok", from: "info" });
  });

  it("claims nothing from an INFO without the fields", () => {
    expect(settingsFromInfo({}).every((v) => v.status === "unknown" && v.value === null)).toBe(true);
  });
});

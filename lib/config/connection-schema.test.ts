import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SecretFile } from "../redis/secret-file";
import { tlsOptions } from "../redis/tls-files";
import { ConsoleConfigSchema, describeConfigError } from "./schema";

const base = { source: "external", redis: { nodes: [{ id: "a", host: "10.0.0.1", port: 6380 }] } };

describe("redis connection options", () => {
  it("takes the issue's names: username, password file, tls, sentinel credentials", () => {
    const cfg = ConsoleConfigSchema.parse({
      ...base,
      redis: {
        ...base.redis,
        username: "console",
        password: { from: "file", path: "/run/secrets/redis" },
        tls: { ca: "/etc/redis/ca.pem", servername: "redis.internal" },
        sentinelUsername: "sentinel-watch",
        sentinelPassword: { from: "env", name: "SENTINEL_PASSWORD" },
        sentinelTls: { ca: "/etc/redis/ca.pem" },
      },
    });
    expect(cfg.redis.username).toBe("console");
    expect(cfg.redis.tls).toEqual({ ca: "/etc/redis/ca.pem", servername: "redis.internal", insecureSkipVerify: false });
    expect(cfg.redis.sentinelPassword).toEqual({ from: "env", name: "SENTINEL_PASSWORD" });
  });

  it("defaults to no TLS and no passwords", () => {
    const cfg = ConsoleConfigSchema.parse(base);
    expect(cfg.redis.tls).toBeUndefined();
    expect(cfg.redis.sentinelPassword).toEqual({ from: "none" });
  });

  it("names a misspelt TLS field and a cert without its key", () => {
    const bad = ConsoleConfigSchema.safeParse({ ...base, redis: { ...base.redis, tls: { caFile: "/x" } } });
    expect(describeConfigError(bad.error!)).toContain("redis.tls");
    const half = ConsoleConfigSchema.safeParse({ ...base, redis: { ...base.redis, sentinelTls: { cert: "/c.pem" } } });
    expect(describeConfigError(half.error!)).toMatch(/redis\.sentinelTls.*cert and key go together/);
  });

  it("a missing certificate file names the field", () => {
    expect(() => tlsOptions({ ca: "/nonexistent/ca.pem", insecureSkipVerify: false }, "redis.sentinelTls")).toThrow(
      /^redis\.sentinelTls\.ca: cannot read \/nonexistent\/ca\.pem \(ENOENT\)/,
    );
  });
});

describe("SecretFile", () => {
  it("reads at start, re-reads when the file is replaced, keeps the last value while it is gone", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-secret-"));
    const p = path.join(dir, "password");
    fs.writeFileSync(p, "first\n");
    const f = new SecretFile(p, "redis.password");
    expect(f.current(0)).toBe("first");
    fs.writeFileSync(path.join(dir, "next"), "second-longer");
    fs.renameSync(path.join(dir, "next"), p); // how a mounted secret is swapped: a new inode
    expect(f.current(5_000)).toBe("second-longer");
    fs.rmSync(p);
    expect(f.current(10_000)).toBe("second-longer");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a missing file stops the start naming the field", () => {
    expect(() => new SecretFile("/nonexistent/pw", "redis.sentinelPassword")).toThrow(
      /^redis\.sentinelPassword: cannot read the password file \/nonexistent\/pw \(ENOENT\)/,
    );
  });
});

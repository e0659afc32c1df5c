import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sampleState } from "../contract/fixtures/state";
import { followSandboxLayout } from "../collector/sandbox-follow";
import { devstackConfig, resolveConnections, resolvePassword } from "./load";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-tls-state-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (extra: object) =>
  fs.writeFileSync(path.join(dir, "state.json"), JSON.stringify({ ...sampleState({ stackId: "s1" }), ...extra }), { mode: 0o600 });

describe("devstackConfig of a --tls --acl sandbox", () => {
  it("logs in as the console's user with the sandbox's CA, on the nodes and on the sentinels", () => {
    const ca = path.join(dir, "ca.pem");
    fs.writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nnot parsed here\n-----END CERTIFICATE-----\n");
    write({ password: "devstack-pw-0123456789", username: "devstack", tls: { ca }, console: { username: "console", password: "console-pw-0123456789" } });
    const c = devstackConfig(dir);
    expect(c.redis).toMatchObject({
      username: "console",
      sentinelUsername: "console",
      tls: { ca },
      sentinelTls: { ca },
      password: { from: "devstack-state" },
      sentinelPassword: { from: "devstack-state" },
    });
    expect(resolvePassword(c)).toBe("console-pw-0123456789");
    const conn = resolveConnections(c);
    expect(conn.sentinel.password()).toBe("console-pw-0123456789");
    expect(conn.node.tls?.ca).toBeDefined();
  });
  it("a plain sandbox keeps the one password, no user, no TLS", () => {
    write({ password: "plain-pw-0123456789", tls: null, console: null });
    const c = devstackConfig(dir);
    expect(c.redis.username).toBeUndefined();
    expect(c.redis.tls).toBeUndefined();
    expect(c.redis.sentinelPassword).toEqual({ from: "none" });
    expect(resolvePassword(c)).toBe("plain-pw-0123456789");
  });
  it("a console following a plain sandbox restarted with --tls --acl takes its user and CA too", () => {
    write({ password: "plain-pw-0123456789" });
    const before = devstackConfig(dir);
    const ca = path.join(dir, "ca.pem");
    fs.writeFileSync(ca, "pem");
    write({
      stackId: "s2",
      password: "devstack-pw-0123456789",
      username: "devstack",
      tls: { ca },
      console: { username: "console", password: "console-pw-0123456789" },
    });
    const after = devstackConfig(dir);
    const followed = followSandboxLayout(before, before, after);
    expect(followed.redis).toMatchObject({
      username: "console",
      tls: { ca },
      sentinelUsername: "console",
      sentinelTls: { ca },
      sentinelPassword: { from: "devstack-state" },
    });
  });
});

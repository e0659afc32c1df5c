import { describe, expect, it } from "vitest";
import { resolveSettings } from "../settings";
import { renderRedisConf, renderSentinelConf } from "./redis-conf";
import { nodeAclLines, sentinelAclLines, type SandboxSecurity } from "./sandbox-security";

const settings = resolveSettings([], {} as NodeJS.ProcessEnv, "/tmp");
const tls = { dir: "/s/tls", ca: "/s/tls/ca.pem", cert: "/s/tls/server.pem", key: "/s/tls/server.key" };
const users: NonNullable<SandboxSecurity["users"]> = {
  devstack: { username: "devstack", password: "dev-pw-0123456789" },
  layers: { username: "layers", password: "layers-pw-0123456789" },
  console: { username: "console", password: "console-pw-0123456789" },
};
const lines = (text: string) => text.trim().split("\n");

describe("the TLS + ACL sandbox's config files", () => {
  it("a node listens on TLS only, the default user off, the console read-only, replication as devstack", () => {
    const conf = lines(
      renderRedisConf(settings, { port: 7000, dataDir: "/s/a", password: users.devstack.password, replicaOfPort: 7001, security: { tls, users } }),
    );
    expect(conf).toEqual(
      expect.arrayContaining(["port 0", "tls-port 7000", "tls-replication yes", "user default off", "masteruser devstack", "replicaof 127.0.0.1 7001"]),
    );
    expect(conf.some((l) => l.startsWith("requirepass"))).toBe(false);
    const consoleLine = conf.find((l) => l.startsWith("user console "))!;
    expect(consoleLine).toContain("-@all");
    expect(consoleLine).not.toMatch(/\+@all| ~\*| \+set( |$)|\+config\|set/);
    expect(conf.find((l) => l.startsWith("user layers "))).toContain("-@dangerous");
  });
  it("a sentinel requires the devstack's password, knows the console's user, and logs in to the nodes as devstack", () => {
    const conf = lines(
      renderSentinelConf(settings, { port: 7002, dataDir: "/s/s1", masterPort: 7000, password: users.devstack.password, security: { tls, users } }),
    );
    expect(conf).toEqual(expect.arrayContaining(["port 0", "tls-port 7002", `requirepass ${users.devstack.password}`, "sentinel auth-user mymaster devstack"]));
    // Sentinel refuses an auth-user line for a master it does not monitor yet.
    expect(conf.findIndex((l) => l.startsWith("sentinel monitor"))).toBeLessThan(conf.findIndex((l) => l.startsWith("sentinel auth-user")));
    expect(sentinelAclLines(users, "mymaster").find((l) => l.startsWith("user console"))).toContain("+sentinel|master");
  });
  it("a plain sandbox keeps its one password and plain port", () => {
    const conf = lines(renderRedisConf(settings, { port: 7000, dataDir: "/s/a", password: "pw-0123456789" }));
    expect(conf).toEqual(expect.arrayContaining(["port 7000", 'requirepass "pw-0123456789"']));
    expect(conf.some((l) => l.startsWith("tls-") || l.startsWith("user "))).toBe(false);
    expect(nodeAclLines(users)[0]).toBe("user default off");
  });
});

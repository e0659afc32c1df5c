import { describe, expect, it } from "vitest";
import { resolveSettings } from "../settings";
import { renderRedisConf } from "../topology/redis-conf";
import { renderClusterConf } from "./cluster-conf";
import { LAYER_IDS } from "../../lib/contract/failure-contract";
import { CLUSTER_PORT_SPAN, clusterControlPort, clusterLayerPort, clusterNodeSpecs, clusterPorts, resolveClusterSettings } from "./cluster-settings";

const env = (vars: Record<string, string> = {}) => vars as NodeJS.ProcessEnv;
const lines = (conf: string) => conf.trim().split("\n");

describe("renderClusterConf", () => {
  const settings = resolveClusterSettings([], env(), "/repo");
  const conf = lines(
    renderClusterConf(settings.redis, {
      port: 7100,
      busPort: 7120,
      dataDir: "/repo/.devstack-cluster/node-1",
      password: "pw-0123456789abcdef",
      nodeTimeoutMs: 5000,
    }),
  );

  it("is a cluster node on loopback with its view in its own data dir", () => {
    expect(conf).toEqual(
      expect.arrayContaining([
        "bind 127.0.0.1",
        "port 7100",
        'dir "/repo/.devstack-cluster/node-1"',
        "cluster-enabled yes",
        "cluster-config-file nodes-7100.conf",
        "cluster-node-timeout 5000",
        "cluster-port 7120",
        'requirepass "pw-0123456789abcdef"',
        'masterauth "pw-0123456789abcdef"',
      ]),
    );
    expect(conf.some((l) => l.startsWith("replicaof"))).toBe(false);
  });

  it("has the same production settings as the Sentinel sandbox's nodes", () => {
    const keys = ["appendonly", "appendfsync", "maxmemory", "maxmemory-policy", "save", "tcp-keepalive", "timeout"];
    const pick = (ls: string[]) => ls.filter((l) => keys.includes(l.split(" ")[0]));
    const sentinelNode = lines(renderRedisConf(resolveSettings([], env(), "/repo"), { port: 6400, dataDir: "/d", password: "pw-0123456789abcdef" }));
    expect(pick(conf)).toEqual(pick(sentinelNode));
    expect(pick(conf)).toHaveLength(keys.length);
    expect(conf).toEqual(expect.arrayContaining(["appendonly yes", "appendfsync everysec", "maxmemory-policy allkeys-lru"]));
  });

  it("takes the overrides the Sentinel sandbox takes", () => {
    const s = resolveClusterSettings(["--maxmemory", "128mb", "--cluster-node-timeout", "2000"], env({ DEVSTACK_APPENDFSYNC: "always" }), "/repo");
    const c = lines(renderClusterConf(s.redis, { port: 1, busPort: 2, dataDir: "/d", password: "p", nodeTimeoutMs: s.nodeTimeoutMs }));
    expect(c).toEqual(expect.arrayContaining(["maxmemory 128mb", "appendfsync always", "cluster-node-timeout 2000"]));
  });
});

describe("resolveClusterSettings", () => {
  it("defaults to base port 7100 and .devstack-cluster, not the Sentinel sandbox's", () => {
    const s = resolveClusterSettings([], env({ DEVSTACK_BASE_PORT: "6400", DEVSTACK_DIR: ".devstack" }), "/repo");
    expect(s).toMatchObject({ basePort: 7100, dir: "/repo/.devstack-cluster", nodeTimeoutMs: 5000 });
    expect(resolveClusterSettings(["--base-port", "18000", "--dir", "x"], env(), "/repo")).toMatchObject({ basePort: 18000, dir: "/repo/x" });
    expect(resolveClusterSettings([], env({ DEVSTACK_CLUSTER_BASE_PORT: "9000" }), "/repo").basePort).toBe(9000);
  });

  it("puts the nodes at base+0..+5, the control API at +10, the bus at +20..+25 and the layers at +30..+33", () => {
    expect(clusterNodeSpecs(7100).map((n) => [n.name, n.port, n.busPort])).toEqual([
      ["node-1", 7100, 7120],
      ["node-2", 7101, 7121],
      ["node-3", 7102, 7122],
      ["node-4", 7103, 7123],
      ["node-5", 7104, 7124],
      ["node-6", 7105, 7125],
    ]);
    expect(clusterControlPort(7100)).toBe(7110);
    expect(LAYER_IDS.map((id) => clusterLayerPort(7100, id))).toEqual([7130, 7131, 7132, 7133]);
    expect(new Set(clusterPorts(7100).map((p) => p.port)).size).toBe(17);
    expect(Math.max(...clusterPorts(7100).map((p) => p.port))).toBeLessThan(7100 + CLUSTER_PORT_SPAN);
  });

  it("refuses a bad base port, node timeout or Redis setting, naming it", () => {
    expect(() => resolveClusterSettings(["--base-port", "65530"], env())).toThrow(/cluster base port must be an integer/);
    expect(() => resolveClusterSettings(["--cluster-node-timeout", "abc"], env())).toThrow(/cluster-node-timeout/);
    expect(() => resolveClusterSettings(["--maxmemory-policy", "lru\nbind 0.0.0.0"], env())).toThrow(/maxmemory-policy/);
  });
});

/**
 * The console on a production-like Redis Cluster it did not start: TLS only, ACL users, seeds in
 * the config. It discovers the nodes through its least-privilege cluster user, is read-only, keeps
 * every secret out of its answers and output, and says what is wrong with a user lacking the
 * cluster commands or with an untrusted CA instead of calling the cluster down.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsole, type RunningConsole } from "./helpers/console";
import { waitForSnapshot } from "./helpers/sse";
import { CONSOLE_PORTS, PORTS } from "./helpers/stack";
import { CLUSTER_SECRETS, startTlsCluster, type TlsCluster } from "./helpers/tls-cluster";
import { finishedRun, startRun } from "./helpers/chaos-runs";
import { parseClusterNodes } from "../../lib/contract/cluster-info";

function configFile(cluster: TlsCluster, user: string, passwordEnv: string, ca: string, chaos?: object): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rrc-cluster-tls-")), "console.json");
  fs.writeFileSync(
    file,
    JSON.stringify({
      deployment: "prod-cluster",
      source: "external",
      redis: {
        cluster: { seeds: [{ host: "127.0.0.1", port: cluster.ports[2] }] },
        username: user,
        password: { from: "env", name: passwordEnv },
        tls: { ca },
      },
      layers: [],
      ...(chaos ? { chaos } : {}),
    }),
  );
  return file;
}

describe("the console on a TLS + ACL Redis Cluster", () => {
  let cluster: TlsCluster;
  const consoles: RunningConsole[] = [];

  beforeAll(async () => {
    cluster = await startTlsCluster(PORTS.clusterTls);
  }, 90_000);

  afterAll(async () => {
    for (const c of consoles) await c.stop();
    await cluster?.stop();
  });

  const start = async (port: number, user: string, password: string, ca: string) => {
    const c = await startConsole({
      port,
      devstackDir: path.join(os.tmpdir(), "rrc-no-devstack"),
      env: { CONSOLE_CONFIG: configFile(cluster, user, "RRC_CLUSTER_PW", ca), RRC_CLUSTER_PW: password },
    });
    consoles.push(c);
    return c;
  };

  it("discovers every node from one seed over TLS with its read-only cluster user, and is read-only", async () => {
    const c = await start(CONSOLE_PORTS.clusterTls, "console", CLUSTER_SECRETS.console, cluster.certs.ca);
    const s = await waitForSnapshot(
      c.url,
      "the TLS cluster watched",
      // The replica is listed under its master once CLUSTER NODES says so, a moment after every node answers.
      (x) => x.cluster?.state === "ok" && x.redis.nodes.length === 4 && x.redis.nodes.every((n) => n.up) && x.cluster.shards.some((s) => s.replicas.length > 0),
    );
    expect(s.redis.nodes.map((n) => n.addr).sort()).toEqual(cluster.ports.map((p) => `127.0.0.1:${p}`).sort());
    expect(s.cluster!.shards.map((x) => x.replicas.length)).toEqual([1, 0, 0]);
    expect(s.cluster!.nodes.every((v) => v.state === "ok" && v.knownNodes === 4)).toBe(true);
    expect(s.cluster!.topologyError).toBeUndefined();
    expect(s.alerts.find((a) => a.rule === "redis_cluster_shard_without_replica")).toMatchObject({
      firing: true,
      summary: "shard-2, shard-3 without an online replica",
    });
    expect(s.deployment.readOnly).toBe(true);
    const res = await fetch(`${c.url}/api/chaos/runs`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect([401, 403]).toContain(res.status);
    for (const route of ["/api/snapshot", "/api/metrics", "/api/timeline"])
      expect(JSON.stringify((await c.get(route)).body)).not.toContain(CLUSTER_SECRETS.console);
    expect(c.output()).not.toContain(CLUSTER_SECRETS.console);
  });

  it("says which ACL command is missing when its user may not read the cluster", async () => {
    const c = await start(CONSOLE_PORTS.clusterTls + 50, "no-cluster", CLUSTER_SECRETS.noCluster, cluster.certs.ca);
    const s = await waitForSnapshot(c.url, "the missing permission said", (x) => !!x.cluster?.topologyError && x.redis.nodes.some((n) => n.up));
    expect(s.cluster!.topologyError).toBe("ACL user no-cluster may not run CLUSTER NODES: the shards cannot be read (add +cluster|nodes)");
    // The nodes still answer INFO: they are up, not down; their own view is just unknown.
    expect(s.redis.nodes.find((n) => n.addr === `127.0.0.1:${cluster.ports[2]}`)?.up).toBe(true);
    expect(s.cluster!.nodes.every((v) => v.state === null)).toBe(true);
  });

  it("names an untrusted CA as a TLS problem rather than an outage", async () => {
    const c = await start(CONSOLE_PORTS.clusterTls + 51, "console", CLUSTER_SECRETS.console, cluster.certs.otherCa);
    // Between two attempts a client is "not connected" (its last error gone with the socket): wait for an attempt's answer.
    const s = await waitForSnapshot(
      c.url,
      "the TLS problem said",
      (x) => x.redis.nodes.length > 0 && x.redis.nodes.every((n) => !n.up && !!n.problem) && /TLS/.test(x.redis.nodes[0].error ?? ""),
      20_000,
    );
    expect(s.redis.nodes[0].error).toMatch(/TLS: certificate not trusted \(check redis\.tls\.ca\)/);
    expect(s.cluster!.topologyError ?? "").toMatch(/no seed answered CLUSTER NODES|no cluster node answers|TLS/);
  });

  it("chaos opted in over TLS: an outage on one shard and a failover of the shard with a replica, each restored", async () => {
    const TOKEN = "cluster-tls-chaos-operator-token-0123456789";
    const c = await startConsole({
      port: CONSOLE_PORTS.clusterTlsChaos,
      devstackDir: path.join(os.tmpdir(), "rrc-no-devstack"),
      env: {
        OPERATOR_TOKEN: TOKEN,
        CONSOLE_CONFIG: configFile(cluster, "console", "RRC_CLUSTER_PW", cluster.certs.ca, {
          allow: true,
          username: "rrc-chaos",
          password: { from: "env", name: "RRC_CHAOS_PW" },
        }),
        RRC_CLUSTER_PW: CLUSTER_SECRETS.console,
        RRC_CHAOS_PW: CLUSTER_SECRETS.chaos,
      },
    });
    consoles.push(c);
    await waitForSnapshot(c.url, "the TLS cluster watched", (x) => x.cluster?.state === "ok" && x.redis.nodes.length === 4 && x.redis.nodes.every((n) => n.up));
    // Refused until every shard carries its marker; the refusal names each key and its master, which the admin sets.
    const refused = await startRun(c, TOKEN, "outage", { shard: "shard-2", durationSeconds: 3 });
    expect(refused.status).toBe(403);
    const missing = [...String(refused.body.error).matchAll(/\(master 127\.0\.0\.1:(\d+)\) has no (rrc:chaos-allowed:\{\d+\})/g)];
    expect(missing).toHaveLength(3);
    for (const [, port, key] of missing) await cluster.admin(Number(port), "SET", key, "prod-cluster");
    const roles = async () =>
      Object.fromEntries(
        await Promise.all(
          cluster.ports.map(async (p) => [p, parseClusterNodes(String(await cluster.admin(p, "CLUSTER", "NODES"))).find((e) => e.myself)!.role] as const),
        ),
      );
    const before = await roles();

    const outage = await finishedRun(c, (await startRun(c, TOKEN, "outage", { shard: "shard-2", durationSeconds: 3 })).id, 90_000);
    expect(outage.postflight, outage.error).toEqual({ healthy: true, problems: [] });
    expect(outage.checks.find((x) => x.shard === "shard-2")).toMatchObject({ verdict: "held" });
    expect(await cluster.admin(cluster.ports[1], "PING")).toBe("PONG");

    const failover = await finishedRun(c, (await startRun(c, TOKEN, "failover", { shard: "shard-1" })).id, 90_000);
    expect(failover.postflight, failover.error).toEqual({ healthy: true, problems: [] });
    expect(failover.checks.find((x) => x.shard === "shard-1")).toMatchObject({ verdict: "held" });
    expect(failover.steps.find((x) => x.name === "CLUSTER FAILOVER")?.detail).toContain(`127.0.0.1:${cluster.ports[3]}`);
    expect(await roles()).toEqual(before);
    expect(c.output()).not.toContain(CLUSTER_SECRETS.chaos);
  });
});

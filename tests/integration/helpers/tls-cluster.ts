/**
 * A production-like Redis Cluster the console did not start: TLS only (`port 0`, `tls-port`,
 * `tls-cluster yes`, `tls-replication yes`), the default user off, the console's least-privilege
 * cluster ACL user, an admin user; 3 masters with slots assigned by hand and one replica, made with
 * CLUSTER ADDSLOTSRANGE / MEET / REPLICATE. Real redis-server processes, killed and removed by stop().
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Redis from "ioredis";
import { chaosAclLine } from "../../../lib/chaos/targets/acl";
import { consoleAclLine } from "../../../lib/contract/console-acl";
import { makeTestCerts, type TestCerts } from "../../../devstack/topology/tls-certs";
import { waitFor } from "./stack";

export const CLUSTER_SECRETS = {
  console: "cluster-console-pw-6e2a91",
  admin: "cluster-admin-pw-b47c03",
  noCluster: "no-cluster-pw-9d1e55",
  chaos: "cluster-chaos-pw-31d8f0",
} as const;

export interface TlsCluster {
  certs: TestCerts;
  ports: number[];
  /** A command on one node as the admin user, over TLS. */
  admin(port: number, ...args: string[]): Promise<unknown>;
  stop(): Promise<void>;
}

export async function startTlsCluster(basePort: number): Promise<TlsCluster> {
  const certs = makeTestCerts();
  const ports = [0, 1, 2, 3].map((i) => basePort + i);
  const procs: ChildProcess[] = [];
  const admins: Redis[] = [];
  const stop = async () => {
    for (const a of admins) a.disconnect();
    for (const p of procs) p.kill("SIGKILL");
    certs.remove();
  };
  try {
    for (const port of ports) {
      const dir = path.join(certs.dir, `node-${port}`);
      fs.mkdirSync(dir, { recursive: true });
      const acl = path.join(dir, "users.acl");
      fs.writeFileSync(
        acl,
        [
          "user default off",
          consoleAclLine("console", CLUSTER_SECRETS.console, { cluster: true }),
          // The plain console line, without the cluster commands: the console must say what is missing.
          consoleAclLine("no-cluster", CLUSTER_SECRETS.noCluster),
          // The chaos user, exactly the documented line: chaos on this cluster as on a dev stack opted in.
          chaosAclLine("rrc-chaos", CLUSTER_SECRETS.chaos, { cluster: true }),
          `user admin on >${CLUSTER_SECRETS.admin} ~* &* +@all`,
        ].join("\n") + "\n",
      );
      const conf = path.join(dir, "redis.conf");
      fs.writeFileSync(
        conf,
        [
          "bind 127.0.0.1",
          "port 0",
          `tls-port ${port}`,
          `tls-cert-file ${certs.cert}`,
          `tls-key-file ${certs.key}`,
          `tls-ca-cert-file ${certs.ca}`,
          "tls-auth-clients no",
          "tls-cluster yes",
          "tls-replication yes",
          "cluster-enabled yes",
          `cluster-config-file nodes-${port}.conf`,
          "cluster-node-timeout 5000",
          `dir ${dir}`,
          `aclfile ${acl}`,
          "masteruser admin",
          `masterauth ${CLUSTER_SECRETS.admin}`,
          'save ""',
          "appendonly no",
        ].join("\n") + "\n",
      );
      procs.push(spawn("redis-server", [conf], { stdio: "ignore" }));
    }
    for (const port of ports) {
      const a = new Redis({
        host: "127.0.0.1",
        port,
        username: "admin",
        password: CLUSTER_SECRETS.admin,
        tls: { ca: fs.readFileSync(certs.ca) },
        lazyConnect: true,
        connectTimeout: 2000,
        commandTimeout: 5000,
        maxRetriesPerRequest: 0,
      });
      a.on("error", () => {});
      admins.push(a);
    }
    await waitFor(
      "TLS nodes answer",
      async () => (await Promise.all(admins.map((a) => (a.status === "ready" ? a.ping() : a.connect().then(() => a.ping()))))).every((r) => r === "PONG"),
      20_000,
      100,
    );
    const ranges = [
      [0, 5460],
      [5461, 10922],
      [10923, 16383],
    ];
    for (const [i, [a, b]] of ranges.entries()) await admins[i].call("CLUSTER", "ADDSLOTSRANGE", String(a), String(b));
    for (const port of ports.slice(1)) await admins[0].call("CLUSTER", "MEET", "127.0.0.1", String(port));
    await waitFor(
      "every node knows every node",
      async () =>
        (
          await Promise.all(
            admins.map(
              async (a) =>
                String(await a.call("CLUSTER", "NODES"))
                  .trim()
                  .split("\n").length,
            ),
          )
        ).every((n) => n === ports.length),
      20_000,
      100,
    );
    const firstId = String(await admins[0].call("CLUSTER", "MYID"));
    await waitFor(
      "the replica follows the first master",
      async () => (await admins[3].call("CLUSTER", "REPLICATE", firstId).catch(() => null)) === "OK",
      20_000,
      200,
    );
    await waitFor(
      "cluster_state:ok everywhere",
      async () => (await Promise.all(admins.map((a) => a.call("CLUSTER", "INFO")))).every((t) => /cluster_state:ok/.test(String(t))),
      30_000,
      200,
    );
    return { certs, ports, stop, admin: (port, ...args) => admins[ports.indexOf(port)].call(args[0], ...args.slice(1)) };
  } catch (err) {
    await stop();
    throw err;
  }
}

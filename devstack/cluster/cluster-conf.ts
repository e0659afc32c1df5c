/** Renders one cluster node's redis.conf: the sandbox's production settings plus cluster mode. */
import type { RedisSettings } from "../settings";

export interface ClusterConfInput {
  port: number;
  busPort: number;
  dataDir: string;
  password: string;
  nodeTimeoutMs: number;
}

/** A quoted config value, so a space or quote in it never splits or ends the line. */
function q(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export function renderClusterConf(redis: RedisSettings, input: ClusterConfInput): string {
  return (
    [
      "# Written by devstack (cluster sandbox). Redis keeps the cluster's own view in cluster-config-file.",
      "bind 127.0.0.1",
      `port ${input.port}`,
      `dir ${q(input.dataDir)}`,
      "daemonize no",
      "loglevel notice",
      'logfile ""',
      `requirepass ${q(input.password)}`,
      `masterauth ${q(input.password)}`,
      "cluster-enabled yes",
      // Relative to `dir`: each node keeps its view in its own data dir.
      `cluster-config-file nodes-${input.port}.conf`,
      `cluster-node-timeout ${input.nodeTimeoutMs}`,
      // The bus beside the client ports instead of port+10000, so the whole cluster fits in base..base+25.
      `cluster-port ${input.busPort}`,
      "cluster-announce-ip 127.0.0.1",
      "replica-announce-ip 127.0.0.1",
      `appendonly ${redis.appendonly}`,
      `appendfsync ${redis.appendfsync}`,
      `maxmemory ${redis.maxmemory}`,
      `maxmemory-policy ${redis["maxmemory-policy"]}`,
      redis.save.trim() === "" ? 'save ""' : `save ${redis.save}`,
      `tcp-keepalive ${redis["tcp-keepalive"]}`,
      `timeout ${redis.timeout}`,
    ].join("\n") + "\n"
  );
}

/**
 * The least privilege the console needs to watch a node, as a Redis ACL rule list: exactly the
 * commands it sends (nothing that writes, no CONFIG SET, no @dangerous). HELLO and AUTH need no
 * permission; CLIENT SETINFO/SETNAME are not sent (the client factory turns them off).
 * The integration test (tls-acl.test.ts) runs the console against a node with this user, and the
 * sandbox's `--acl` gives its console user these very lines (devstack/topology/sandbox-security.ts).
 */
export const CONSOLE_NODE_COMMANDS = [
  "info", // every tick: INFO (role, memory, clients, persistence, replication)
  "ping", // the layers' address when ROLE is not allowed
  "role", // the layers' address: master or replica
  "config|get", // config audit against the guide's baseline
  "scan", // memory by key class: a bounded walk (never KEYS)
  "memory|usage", // memory by key class: size of each sampled key
  "pttl", // memory by key class: TTL, and which sampled keys vanished early (evictions)
  "dbsize", // memory by key class: the total to scale the sample up to
] as const;

/** On a Redis Cluster, each node's own view and the topology (docs/redis-cluster.md). */
export const CONSOLE_CLUSTER_COMMANDS = [
  "cluster|info", // every tick, with INFO: cluster_state and slots as this node sees them
  "cluster|nodes", // one a tick on one node: the shards, and nodes added or removed
] as const;

/** `user <name> on ><password> …`: read-only key access (%R~*) for MEMORY USAGE and PTTL, no channels. */
export function consoleAclLine(user: string, password: string, opts: { cluster?: boolean } = {}): string {
  const commands = [...CONSOLE_NODE_COMMANDS, ...(opts.cluster ? CONSOLE_CLUSTER_COMMANDS : [])];
  return `user ${user} on >${password} resetchannels resetkeys %R~* -@all ${commands.map((c) => `+${c}`).join(" ")}`;
}

/** What the console sends to a sentinel: its view of the master, quorum, replicas, TILT, and the event channels. */
export const CONSOLE_SENTINEL_COMMANDS = ["ping", "info", "sentinel|master", "sentinel|ckquorum", "sentinel|replicas", "psubscribe"] as const;

/** For sentinels with ACL users (`redis.sentinelUsername`): the event channels carry no secret, hence allchannels. */
export function consoleSentinelAclLine(user: string, password: string): string {
  return `user ${user} on >${password} allchannels -@all ${CONSOLE_SENTINEL_COMMANDS.map((c) => `+${c}`).join(" ")}`;
}

/**
 * The chaos user's ACL line (docs/chaos-dev-stack.md): exactly the commands the
 * external target's drivers send, key access only to the console's own rrc:* keys (del: the
 * lock's compare-and-delete script).
 */
export const CHAOS_NODE_COMMANDS = [
  "ping",
  "info",
  "config|get",
  "config|set",
  "client|pause",
  "client|unpause",
  "get",
  "set",
  "pexpire",
  "pttl",
  "unlink",
  "del",
  "scan",
  "eval",
  "debug",
] as const;

/** What a Redis Cluster dev stack's chaos user needs beyond them: the shards read, a replica told to take over. */
export const CHAOS_CLUSTER_COMMANDS = ["cluster|nodes", "cluster|failover"] as const;

export function chaosAclLine(user: string, password: string, opts: { cluster?: boolean } = {}): string {
  const commands = [...CHAOS_NODE_COMMANDS, ...(opts.cluster ? CHAOS_CLUSTER_COMMANDS : [])];
  return `user ${user} on >${password} resetchannels resetkeys ~rrc:* -@all ${commands.map((c) => `+${c}`).join(" ")}`;
}

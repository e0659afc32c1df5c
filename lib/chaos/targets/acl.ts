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

export function chaosAclLine(user: string, password: string): string {
  return `user ${user} on >${password} resetchannels resetkeys ~rrc:* -@all ${CHAOS_NODE_COMMANDS.map((c) => `+${c}`).join(" ")}`;
}

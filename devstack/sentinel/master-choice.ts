/** Pure rules for deciding which address is the master, from what the sentinels say. */

/** "host:port" of a master, as sentinels report it. */
export type MasterAddress = string;

/**
 * The address most answering sentinels report. On a tie the current one is kept, so a
 * half-finished failover does not make the proxy flap between two nodes.
 */
export function pickMaster(answers: (MasterAddress | null)[], current: MasterAddress | null): MasterAddress | null {
  const votes = new Map<MasterAddress, number>();
  for (const a of answers) if (a) votes.set(a, (votes.get(a) ?? 0) + 1);
  if (votes.size === 0) return null;
  const best = Math.max(...votes.values());
  const leaders = [...votes.entries()].filter(([, n]) => n === best).map(([addr]) => addr);
  if (current && leaders.includes(current)) return current;
  return leaders[0];
}

/** The new master from a `+switch-master` message ("<name> <old-ip> <old-port> <new-ip> <new-port>"). */
export function parseSwitchMaster(message: string, masterName: string): MasterAddress | null {
  const parts = message.trim().split(/\s+/);
  if (parts.length !== 5 || parts[0] !== masterName || !/^\d+$/.test(parts[4])) return null;
  return `${parts[3]}:${parts[4]}`;
}

/** Splits "host:port" into its parts. */
export function splitAddress(addr: MasterAddress): { host: string; port: number } {
  const i = addr.lastIndexOf(":");
  return { host: addr.slice(0, i), port: Number(addr.slice(i + 1)) };
}

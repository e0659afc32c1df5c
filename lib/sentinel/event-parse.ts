/**
 * Parses the messages Sentinel publishes on its own pub/sub channels (`+sdown`, `+switch-master`
 * …) into typed events. Pure. Formats follow redis/src/sentinel.c sentinelEvent():
 * `<type> <name> <ip> <port> @ <master-name> <master-ip> <master-port>`, where a master omits
 * the `@` part, plus a few channels with their own layout.
 */

export interface SentinelInstanceRef {
  kind: "master" | "slave" | "sentinel";
  /** The master name, `ip:port` for a replica, the run id for a sentinel. */
  name: string;
  addr: string;
}

export interface SentinelEvent {
  /** The channel, e.g. "+sdown". */
  type: string;
  raw: string;
  instance: SentinelInstanceRef | null;
  /** The master the event is about (the instance itself when it is a master). */
  masterName: string | null;
  masterAddr: string | null;
  switchMaster?: { from: string; to: string };
  epoch?: number;
  /** `+vote-for-leader`: the run id voted for. */
  voteFor?: string;
  /** `+odown`: "2/2" as in "#quorum 2/2". */
  quorum?: string;
  /** `±role-change`: "new reported role is master". */
  reportedRole?: string;
  /** Whatever trailing text the event carries. */
  note?: string;
}

const KINDS = new Set(["master", "slave", "sentinel"]);
const addr = (ip: string | undefined, port: string | undefined) => (ip && port ? `${ip}:${port}` : null);

/** One Sentinel pub/sub message as a typed event; null for channels that are not events (hello). */
export function parseSentinelEvent(channel: string, message: string): SentinelEvent | null {
  if (!/^[+-]/.test(channel)) return null;
  const raw = message.trim();
  const t = raw.split(/\s+/);
  const base: SentinelEvent = { type: channel, raw, instance: null, masterName: null, masterAddr: null };

  if (channel === "+switch-master" && t.length >= 5) {
    const from = addr(t[1], t[2])!;
    const to = addr(t[3], t[4])!;
    return { ...base, masterName: t[0], masterAddr: to, switchMaster: { from, to } };
  }
  if (channel === "+new-epoch") return { ...base, epoch: Number(t[0]) };
  if (channel === "+vote-for-leader") return { ...base, voteFor: t[0], epoch: Number(t[1]) };
  if (!KINDS.has(t[0]) || t.length < 4) return { ...base, note: raw || undefined };

  const instance: SentinelInstanceRef = { kind: t[0] as SentinelInstanceRef["kind"], name: t[1], addr: addr(t[2], t[3])! };
  let rest: string[];
  let masterName: string | null;
  let masterAddr: string | null;
  if (t[4] === "@") {
    masterName = t[5] ?? null;
    masterAddr = addr(t[6], t[7]);
    rest = t.slice(8);
  } else {
    masterName = instance.kind === "master" ? instance.name : null;
    masterAddr = instance.kind === "master" ? instance.addr : null;
    rest = t.slice(4);
  }
  const event: SentinelEvent = { ...base, instance, masterName, masterAddr };
  const text = rest.join(" ");
  if (rest[0] === "#quorum") event.quorum = rest[1];
  else if (/^new reported role is /.test(text)) event.reportedRole = rest.at(-1);
  else if (text) event.note = text;
  return event;
}

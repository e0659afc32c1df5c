/**
 * The settings INFO can tell when CONFIG GET is refused (ElastiCache and Memorystore disable it,
 * self-hosted Redis may rename it away): each is judged as if read with CONFIG and marked "from
 * INFO"; the rest stay "unknown". Pure.
 */
import { BASELINE, shown, type SettingVerdict } from "./baseline";

const yesNo = (flag: string | undefined) => (flag === "1" ? "yes" : flag === "0" ? "no" : undefined);

/** CONFIG values INFO states exactly, by setting name. */
function exactValues(info: Record<string, string>): Record<string, string | undefined> {
  const replica = info.role === "slave";
  return {
    maxmemory: /^\d+$/.test(info.maxmemory ?? "") ? info.maxmemory : undefined,
    "maxmemory-policy": info.maxmemory_policy || undefined,
    appendonly: yesNo(info.aof_enabled),
    // Only a replica reports it (slave_read_only; Redis 7 adds replica_read_only).
    "replica-read-only": replica ? yesNo(info.replica_read_only ?? info.slave_read_only) : undefined,
  };
}

/** The node settings judged from one INFO (all sections), in BASELINE's order. */
export function settingsFromInfo(info: Record<string, string>): SettingVerdict[] {
  const exact = exactValues(info);
  return BASELINE.filter((b) => b.scope === "node").map((entry): SettingVerdict => {
    const raw = exact[entry.name];
    if (raw !== undefined) return { name: entry.name, value: shown(entry, raw), status: entry.judge(raw), from: "info" };
    // INFO lists min_slaves_good_slaves exactly when min-replicas-to-write and min-replicas-max-lag are both non-zero.
    if (entry.name === "min-replicas-to-write" && info.role !== undefined) {
      return info.min_slaves_good_slaves !== undefined
        ? { name: entry.name, value: "on (1 or more)", status: "ok", from: "info" }
        : { name: entry.name, value: "off (0, or max-lag 0)", status: "recommendation", from: "info" };
    }
    return { name: entry.name, value: null, status: "unknown" };
  });
}

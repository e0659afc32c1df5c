/** Parsing CLUSTER INFO and CLUSTER NODES into typed values, shared by the console's collector and the cluster sandbox. */
import { infoFields } from "./info-fields";

export interface ClusterInfo {
  state: "ok" | "fail" | string;
  slotsAssigned: number;
  slotsOk: number;
  slotsPfail: number;
  slotsFail: number;
  knownNodes: number;
  size: number;
  currentEpoch: number;
}

export function parseClusterInfo(text: string): ClusterInfo {
  const f = infoFields(text);
  const n = (key: string) => Number(f[key] ?? 0);
  return {
    state: f.cluster_state ?? "unknown",
    slotsAssigned: n("cluster_slots_assigned"),
    slotsOk: n("cluster_slots_ok"),
    slotsPfail: n("cluster_slots_pfail"),
    slotsFail: n("cluster_slots_fail"),
    knownNodes: n("cluster_known_nodes"),
    size: n("cluster_size"),
    currentEpoch: n("cluster_current_epoch"),
  };
}

/** One line of CLUSTER NODES. */
export interface ClusterNodeEntry {
  id: string;
  host: string;
  port: number;
  busPort: number;
  flags: string[];
  role: "master" | "replica" | "unknown";
  /** The master's node id for a replica; null for a master. */
  masterId: string | null;
  myself: boolean;
  /** `fail` (agreed), `fail?` (this node's suspicion) or neither. */
  failing: "fail" | "pfail" | null;
  linkState: "connected" | "disconnected" | string;
  configEpoch: number;
  /** Slot ranges served, inclusive; migrating/importing markers are left out. */
  slots: [number, number][];
}

export function parseClusterNodes(text: string): ClusterNodeEntry[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [id, addr, flagText, master, , , epoch, linkState, ...slotFields] = line.split(" ");
      // ip:port@cport[,hostname]
      const m = /^(.*):(\d+)@(\d+)/.exec(addr ?? "");
      const flags = (flagText ?? "").split(",");
      const slots = slotFields
        .filter((s) => !s.startsWith("["))
        .map((s): [number, number] => {
          const [a, b] = s.split("-").map(Number);
          return [a, b ?? a];
        });
      return {
        id,
        host: m?.[1] ?? "",
        port: Number(m?.[2] ?? 0),
        busPort: Number(m?.[3] ?? 0),
        flags,
        role: flags.includes("master") ? "master" : flags.includes("slave") ? "replica" : "unknown",
        masterId: master && master !== "-" ? master : null,
        myself: flags.includes("myself"),
        failing: flags.includes("fail") ? "fail" : flags.includes("fail?") ? "pfail" : null,
        linkState,
        configEpoch: Number(epoch ?? 0),
        slots,
      };
    });
}

/** "0-5460" / "5461" / "0-10,20-30": slot ranges as a person reads them. */
export function formatSlots(slots: [number, number][]): string {
  return slots.map(([a, b]) => (a === b ? String(a) : `${a}-${b}`)).join(",");
}

export function slotCount(slots: [number, number][]): number {
  return slots.reduce((sum, [a, b]) => sum + b - a + 1, 0);
}

/** The config audit as the Config page sees it. Client-safe: secrets are already "set"/"not set". */
import type { BaselineEntry, SettingVerdict } from "./baseline";

/** A baseline entry as the page shows it: without its judge and secret flag. */
export type BaselineRow = Omit<BaselineEntry, "judge" | "secret">;

export interface NodeAudit {
  id: string;
  role: "master" | "replica" | "unknown";
  /** `config-unavailable`: CONFIG is disabled, renamed or forbidden there; the page says so. */
  state: "read" | "config-unavailable" | "unreachable" | "pending";
  error?: string;
  settings: SettingVerdict[];
}

export interface SentinelAudit {
  id: string;
  state: "read" | "unreachable" | "pending";
  error?: string;
  settings: SettingVerdict[];
}

export interface ConfigAuditReport {
  /** When the settings were last read (ISO), null before the first read. */
  at: string | null;
  refreshSeconds: number;
  masterName: string;
  baseline: BaselineRow[];
  nodes: NodeAudit[];
  sentinels: SentinelAudit[];
}

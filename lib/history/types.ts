/** One tick of sampled metrics, as kept in memory and served by /api/history. Client-safe. */
import type { NodeSeriesPoint } from "./series";

export interface NodePoint {
  up: boolean;
  role: string;
  usedMemory: number | null;
  maxmemory: number | null;
  evictedKeys: number | null;
  expiredKeys: number | null;
  keyspaceHits: number | null;
  keyspaceMisses: number | null;
  connectedClients: number | null;
  totalCommands: number | null;
  opsPerSec: number | null;
  latestForkUsec: number | null;
  fragmentationRatio: number | null;
}

export interface HistoryPoint {
  t: number;
  nodes: Record<string, NodePoint>;
  layers: Record<string, { status: string; latencyMs: number | null }>;
}

/** Where a Prometheus-served range came from: the server (no credentials), the step, and per node whose series fed it. */
export interface HistoryPrometheus {
  url: string;
  stepSeconds?: number;
  series?: Record<string, "redis_exporter" | "console" | null>;
  /** Why Prometheus could not serve the range (the answer then comes from memory). */
  error?: string;
}

/** GET /api/history's answer. */
export interface HistoryResponse {
  minutes: number;
  /** Spacing of the points: the collector's tick (memory) or the query step (Prometheus). */
  tickMs: number;
  source: "memory" | "prometheus";
  prometheus?: HistoryPrometheus;
  /** Said on the page when the answer is not the range asked for (Prometheus failed: memory's part shown). */
  notice?: string;
  from: string;
  to: string;
  /** Alert thresholds from config, so charts draw the lines the rules use. */
  thresholds: { connectedClients: number; memoryUsedRatio: number; missRatio: number; forkSeconds: number };
  nodes: Record<string, NodeSeriesPoint[]>;
  layers: ({ t: number } & Record<string, number | null>)[];
}

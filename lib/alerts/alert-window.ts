/**
 * Remembers each node's counters over the rules' look-back window, so counter rules (miss ratio,
 * delayed fsyncs) judge minutes, not one tick. A restart (uptime or a counter going down) starts
 * that node's window again: a reset counter must never read as a negative or huge delta.
 */
import type { ClusterSnapshot } from "../snapshot/cluster-types";
import type { ThresholdConfig } from "../config/schema";
import type { LayerAddressView, NodeSnapshot, SentinelSnapshot } from "../snapshot/types";
import { ALERT_WINDOW_SECONDS, evaluateAlerts, type AlertEvaluation, type NodeCounters } from "./rules";

function restarted(prev: NodeCounters, cur: NodeCounters): boolean {
  return (
    cur.uptimeSeconds < prev.uptimeSeconds ||
    cur.keyspaceHits < prev.keyspaceHits ||
    cur.keyspaceMisses < prev.keyspaceMisses ||
    cur.aofDelayedFsync < prev.aofDelayedFsync
  );
}

export class AlertWindow {
  private readings = new Map<string, NodeCounters[]>();

  constructor(private readonly windowMs = ALERT_WINDOW_SECONDS * 1000) {}

  /** Records this tick's counters of every node that answered. */
  observe(at: number, nodes: NodeSnapshot[]): void {
    for (const n of nodes) {
      if (!n.up) continue;
      const cur: NodeCounters = {
        at,
        keyspaceHits: n.keyspaceHits,
        keyspaceMisses: n.keyspaceMisses,
        aofDelayedFsync: n.aofDelayedFsync,
        uptimeSeconds: n.uptimeSeconds,
      };
      const list = this.readings.get(n.id) ?? [];
      const last = list.at(-1);
      if (last && restarted(last, cur)) list.length = 0;
      list.push(cur);
      // Keep exactly one reading at or before the window's start: that is the baseline.
      while (list.length > 1 && list[1].at <= at - this.windowMs) list.shift();
      this.readings.set(n.id, list);
    }
  }

  /** Per node, the oldest reading inside the window (or just before it). */
  starts(): Record<string, NodeCounters> {
    const out: Record<string, NodeCounters> = {};
    for (const [id, list] of this.readings) if (list.length) out[id] = list[0];
    return out;
  }

  /** Observes this tick and evaluates every rule against it. */
  evaluate(
    at: number,
    nodes: NodeSnapshot[],
    sentinel: SentinelSnapshot,
    thresholds: ThresholdConfig,
    layerAddress?: LayerAddressView,
    cluster?: ClusterSnapshot,
  ): AlertEvaluation[] {
    this.observe(at, nodes);
    return evaluateAlerts({ nodes, sentinel, windowStart: this.starts(), layerAddress, cluster }, thresholds);
  }
}

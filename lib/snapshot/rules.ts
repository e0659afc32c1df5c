/**
 * Domain rules the UI needs to say what the snapshot means. Client-safe and pure: components
 * call these instead of restating a threshold or a majority.
 */
import type { NodeSnapshot } from "./types";

/** Ticks without fresh data after which the screen is "stale": the console itself may be in trouble. */
export const STALE_AFTER_TICKS = 3;

/** Whether data `ageSeconds` old is stale for a collector ticking every `tickMs`. */
export function isStale(ageSeconds: number | null, tickMs: number): boolean {
  return ageSeconds !== null && ageSeconds * 1000 > STALE_AFTER_TICKS * tickMs;
}

/** Sentinels needed to authorize a failover: a majority of all known sentinels. */
export function sentinelMajority(knownSentinels: number): number {
  return Math.floor(knownSentinels / 2) + 1;
}

/** used_memory as a share of maxmemory; null without a limit (maxmemory 0). */
export function memoryUsedRatio(node: Pick<NodeSnapshot, "usedMemory" | "maxmemory">): number | null {
  return node.maxmemory ? node.usedMemory / node.maxmemory : null;
}

/** Over the configured memory alert threshold (the same ratio the alert rule uses). */
export function memoryOverThreshold(node: Pick<NodeSnapshot, "usedMemory" | "maxmemory">, thresholdRatio: number): boolean {
  const ratio = memoryUsedRatio(node);
  return ratio !== null && ratio > thresholdRatio;
}

/**
 * What scenarios ask of a target, and what a target answers: whether it can, how, or why not.
 * Client-safe (the Chaos page shows it per scenario).
 */
export const CAPABILITIES = ["freeze-master", "restart-master", "fill-memory", "fail-over", "add-latency", "exhaust-connections"] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface CapabilityAnswer {
  capability: Capability;
  available: boolean;
  /** How this target does it, e.g. "CLIENT PAUSE <ms> ALL on every node". */
  how: string;
  /** Why not, when unavailable. */
  reason?: string;
}

/** One command the run will send, shown before it starts ("say before"). */
export interface PlannedCommand {
  address: string;
  command: string;
  restores: string;
  durationMs: number | null;
  /** What the command may set off beyond itself (a pause longer than Sentinel's patience), shown before Confirm. */
  warning?: string;
}

/** The capabilities each scenario needs on an external target. */
export const SCENARIO_NEEDS: Record<string, Capability[]> = {
  outage: ["freeze-master"],
  "memory-pressure": ["fill-memory"],
  failover: ["fail-over"],
  latency: ["add-latency"],
  "restart-under-load": ["restart-master"],
  "data-integrity": ["restart-master"],
  "connection-exhaustion": ["exhaust-connections"],
};

/** Which scenarios this target can run, and for the others the first missing capability's reason. */
export function scenarioAvailability(answers: CapabilityAnswer[], scenario: string): { available: boolean; reason: string | null } {
  for (const need of SCENARIO_NEEDS[scenario] ?? []) {
    const a = answers.find((x) => x.capability === need);
    if (!a?.available) return { available: false, reason: a?.reason ?? `this target cannot ${need}` };
  }
  return { available: true, reason: null };
}

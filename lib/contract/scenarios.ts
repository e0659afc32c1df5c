/** Chaos scenario ids, shared by the console's runner and the devstack's control API. */
export const SCENARIO_IDS = ["outage", "latency", "memory-pressure", "restart-under-load", "data-integrity", "failover", "connection-exhaustion"] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

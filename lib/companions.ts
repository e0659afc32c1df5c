import "server-only";
/** Slow-cadence readers that share the collector's connections; started with it, one of each per process. */
import type { Collector } from "./collector/collector";
import { getConfigAuditor } from "./config/audit-service";
import { getKeyspaceSampler } from "./keyspace/instance";

/** Starts the keyspace sampler (memory by key class) and the config auditor. */
export function startCompanions(collector: Collector): void {
  getKeyspaceSampler(collector);
  getConfigAuditor(collector);
}

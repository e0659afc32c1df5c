import "server-only";
/** The keyspace samplers, one beside each collector. */
import type { Collector } from "../collector/collector";
import { companionOf } from "../collector/companions";
import { KeyspaceSampler } from "./sampler";

/** The one sampler per collector (per deployment) of this server process, started on first use. */
export function getKeyspaceSampler(collector: Collector): KeyspaceSampler {
  return companionOf("keyspace-samplers", collector, (c) => new KeyspaceSampler(c));
}

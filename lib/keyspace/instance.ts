import "server-only";
/** The keyspace samplers, one beside each collector (`globalThis` survives Next's module graphs). */
import type { Collector } from "../collector/collector";
import { KeyspaceSampler } from "./sampler";

const KEY = Symbol.for("redis-resilience-console.keyspace-samplers");
type WithSamplers = typeof globalThis & { [KEY]?: WeakMap<Collector, KeyspaceSampler> };

/** The one sampler per collector (per deployment) of this server process, started on first use. */
export function getKeyspaceSampler(collector: Collector): KeyspaceSampler {
  const samplers = ((globalThis as WithSamplers)[KEY] ??= new WeakMap());
  let sampler = samplers.get(collector);
  if (!sampler) {
    sampler = new KeyspaceSampler(collector);
    samplers.set(collector, sampler);
    sampler.start();
  }
  return sampler;
}

import "server-only";
/** The process-wide keyspace sampler, beside the collector (`globalThis` survives Next's module graphs). */
import type { Collector } from "../collector/collector";
import { KeyspaceSampler } from "./sampler";

const KEY = Symbol.for("redis-resilience-console.keyspace-sampler");
type WithSampler = typeof globalThis & { [KEY]?: KeyspaceSampler };

/** The one sampler of this server process, started on first use. */
export function getKeyspaceSampler(collector: Collector): KeyspaceSampler {
  const g = globalThis as WithSampler;
  if (!g[KEY]) {
    g[KEY] = new KeyspaceSampler(collector);
    g[KEY].start();
  }
  return g[KEY]!;
}

import "server-only";
/**
 * Services that live beside each collector (keyspace sampler, config auditor): one per
 * collector, kept on `globalThis` so Next's separate module graphs share them, started on first use.
 */
import type { Collector } from "./collector";

/** The companion of `collector` under `name`, created and started by `make` the first time. */
export function companionOf<T extends { start(): void }>(name: string, collector: Collector, make: (c: Collector) => T): T {
  const key = Symbol.for(`redis-resilience-console.${name}`);
  const g = globalThis as unknown as Record<symbol, WeakMap<Collector, T> | undefined>;
  const map = (g[key] ??= new WeakMap());
  let companion = map.get(collector);
  if (!companion) {
    companion = make(collector);
    map.set(collector, companion);
    companion.start();
  }
  return companion;
}

import "server-only";
/** The keyspace samplers, one beside each collector (on a cluster, one per shard's master). */
import type { Collector } from "../collector/collector";
import { companionOf } from "../collector/companions";
import { mergeReports } from "./merge";
import { KeyspaceSampler } from "./sampler";
import type { KeyspaceReport } from "./types";

export interface KeyspaceSource {
  start(): void;
  pass(): Promise<void>;
  report(withExamples: boolean): KeyspaceReport;
}

/**
 * A cluster's keyspace: one sampler per shard (created when the topology first names it), each
 * on that shard's master, so each node carries the same sampling load whatever the shard count.
 */
class ClusterKeyspace implements KeyspaceSource {
  private readonly shards = new Map<string, KeyspaceSampler>();
  private started = false;

  constructor(private readonly collector: Collector) {}

  private samplers(): [string, KeyspaceSampler][] {
    for (const s of this.collector.snapshot().cluster?.shards ?? []) {
      if (this.shards.has(s.name)) continue;
      const name = s.name;
      const sampler = new KeyspaceSampler(this.collector, (snap) => {
        const id = snap.cluster?.shards.find((x) => x.name === name)?.master?.id;
        return snap.redis.nodes.find((n) => n.id === id && n.up && n.role === "master");
      });
      this.shards.set(name, sampler);
      if (this.started) sampler.start();
    }
    return [...this.shards].sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }));
  }

  start(): void {
    this.started = true;
    // The shards are known once the collector has looked; until then, look again shortly.
    const tryStart = () => {
      for (const [, s] of this.samplers()) s.start();
      if (this.shards.size === 0) setTimeout(tryStart, 1000).unref();
    };
    tryStart();
  }

  async pass(): Promise<void> {
    await Promise.all(this.samplers().map(([, s]) => s.pass()));
  }

  report(withExamples: boolean): KeyspaceReport {
    const list = this.samplers();
    if (!list.length) return new KeyspaceSampler(this.collector).report(withExamples);
    return mergeReports(
      list.map(([, s]) => s.report(withExamples)),
      list.map(([n]) => n),
    );
  }
}

/** The one sampler per collector (per deployment) of this server process, started on first use. */
export function getKeyspaceSampler(collector: Collector): KeyspaceSource {
  return companionOf("keyspace-samplers", collector, (c) => (c.settings.redis.cluster ? new ClusterKeyspace(c) : new KeyspaceSampler(c)));
}

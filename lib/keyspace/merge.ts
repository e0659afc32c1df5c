/**
 * A cluster's keyspace as one: each shard's master is sampled on its own (its keys, its DBSIZE),
 * and the per-shard estimates are summed, so the scale gauges read cluster-wide totals. Pure.
 */
import { scaleTriggers } from "./estimate";
import type { GuideSizing, KeyClassStats, KeyspaceReport, PrefixStats } from "./types";

const sumOrNull = (xs: (number | null)[]) => (xs.some((x) => x !== null) ? xs.reduce<number>((a, x) => a + (x ?? 0), 0) : null);
/** A mean weighted by sampled keys; null when none was measured. */
function weightedMean(items: { n: number; mean: number | null }[]): number | null {
  const measured = items.filter((i) => i.mean !== null && i.n > 0);
  const n = measured.reduce((a, i) => a + i.n, 0);
  return n ? measured.reduce((a, i) => a + i.mean! * i.n, 0) / n : null;
}

function mergePrefixes(lists: PrefixStats[][]): PrefixStats[] {
  const by = new Map<string, PrefixStats[]>();
  for (const p of lists.flat()) by.set(p.prefix, [...(by.get(p.prefix) ?? []), p]);
  return [...by].map(([prefix, ps]) => ({
    prefix,
    sampledKeys: ps.reduce((a, p) => a + p.sampledKeys, 0),
    meanBytes: weightedMean(ps.map((p) => ({ n: p.sampledKeys, mean: p.meanBytes }))),
    estimatedKeys: ps.reduce((a, p) => a + p.estimatedKeys, 0),
    estimatedBytes: sumOrNull(ps.map((p) => p.estimatedBytes)),
  }));
}

export function mergeClasses(perShard: KeyClassStats[][]): KeyClassStats[] {
  const by = new Map<string, KeyClassStats[]>();
  for (const c of perShard.flat()) by.set(c.keyClass, [...(by.get(c.keyClass) ?? []), c]);
  const totalKeys = perShard.flat().reduce((a, c) => a + c.estimatedKeys, 0);
  const merged = [...by].map(([, cs]): KeyClassStats => {
    const estimatedKeys = cs.reduce((a, c) => a + c.estimatedKeys, 0);
    const examples = cs.flatMap((c) => c.exampleKeys ?? []);
    return {
      keyClass: cs[0].keyClass,
      holds: cs[0].holds,
      sampledKeys: cs.reduce((a, c) => a + c.sampledKeys, 0),
      meanBytes: weightedMean(cs.map((c) => ({ n: c.sampledKeys, mean: c.meanBytes }))),
      estimatedKeys,
      estimatedBytes: sumOrNull(cs.map((c) => c.estimatedBytes)),
      // Share of the cluster's keys, from the estimates (each shard's sample is of its own keys).
      keyShare: totalKeys ? estimatedKeys / totalKeys : 0,
      evictions: cs.reduce((a, c) => a + c.evictions, 0),
      prefixes: mergePrefixes(cs.map((c) => c.prefixes)).sort((a, b) => b.sampledKeys - a.sampledKeys),
      ...(cs.some((c) => c.exampleKeys) ? { exampleKeys: examples.slice(0, 3) } : {}),
    };
  });
  return merged.sort((a, b) => (b.estimatedBytes ?? 0) - (a.estimatedBytes ?? 0) || b.estimatedKeys - a.estimatedKeys);
}

function mergeSizing(lists: GuideSizing[][]): GuideSizing[] {
  return (lists[0] ?? []).map((s) => {
    const same = lists.flat().filter((x) => x.prefix === s.prefix);
    return {
      ...s,
      measuredBytes: weightedMean(same.map((x) => ({ n: x.sampledKeys, mean: x.measuredBytes }))),
      sampledKeys: same.reduce((a, x) => a + x.sampledKeys, 0),
    };
  });
}

const STATE_ORDER: KeyspaceReport["state"][] = ["error", "no-master", "warming-up", "ok"];

/** One report for the whole cluster from its shards' (`shards` names them, in the same order). */
export function mergeReports(reports: KeyspaceReport[], shards: string[]): KeyspaceReport {
  if (reports.length === 1) return reports[0];
  const classes = mergeClasses(reports.map((r) => r.classes));
  const usedMemory = sumOrNull(reports.map((r) => r.usedMemory));
  const worst = STATE_ORDER.find((st) => reports.some((r) => r.state === st)) ?? "warming-up";
  const errors = reports.map((r, i) => (r.error ? `${shards[i]}: ${r.error}` : null)).filter(Boolean);
  const sinces = reports.map((r) => r.evictions.since).filter((x): x is string => !!x);
  const triggers = scaleTriggers(classes, usedMemory).map((t) =>
    t.id === "memory"
      ? { ...t, basis: `${t.basis.replace("used_memory of the master", "used_memory of the masters")} (cluster-wide, ${reports.length} shards)` }
      : { ...t, basis: `${t.basis}, summed over ${reports.length} shards` },
  );
  return {
    at:
      reports
        .map((r) => r.at)
        .filter((x): x is string => !!x)
        .sort()
        .pop() ?? null,
    state: worst,
    ...(errors.length ? { error: errors.join("; ") } : {}),
    master: reports.map((r, i) => `${shards[i]}: ${r.master ?? "none"}`).join(", "),
    dbsize: sumOrNull(reports.map((r) => r.dbsize)),
    usedMemory,
    sample: {
      ...reports[0].sample,
      keys: reports.reduce((a, r) => a + r.sample.keys, 0),
      passes: Math.min(...reports.map((r) => r.sample.passes)),
      fullWalks: Math.min(...reports.map((r) => r.sample.fullWalks)),
      memoryUsage: reports.every((r) => r.sample.memoryUsage),
    },
    classes,
    evictions: {
      observed: reports.reduce((a, r) => a + r.evictions.observed, 0),
      attributed: reports.reduce((a, r) => a + r.evictions.attributed, 0),
      pending: reports.reduce((a, r) => a + r.evictions.pending, 0),
      unattributed: reports.reduce((a, r) => a + r.evictions.unattributed, 0),
      since: sinces.sort()[0] ?? null,
      method: `${reports[0].evictions.method}; per shard, summed`,
    },
    sizing: mergeSizing(reports.map((r) => r.sizing)),
    scaleTriggers: triggers,
  };
}

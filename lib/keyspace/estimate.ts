/**
 * From a sample of keys to per-class estimates: key counts extrapolated to DBSIZE, memory from
 * the sampled MEMORY USAGE, the guide's sizing and its scale triggers. Pure.
 */
import { FAILURE_CONTRACT, FILLER_PREFIX, INTEGRITY_PREFIX, keyClassOf, LAYER_IDS } from "../contract/failure-contract";
import type { GuideSizing, KeyClass, KeyClassStats, PrefixStats, ScaleTrigger } from "./types";

export interface SampledKey {
  key: string;
  keyClass: KeyClass;
  prefix: string;
  /** MEMORY USAGE, or null where the command is unavailable. */
  bytes: number | null;
  sampledAt: number;
  /** When its TTL runs out (ms epoch), null without TTL. */
  expiresAt: number | null;
  checkedAt: number;
}

export const OTHER_PREFIX = "(unclaimed)";

/** The namespace a key belongs to: the owning layer's prefix, the chaos prefixes, or unclaimed. */
export function prefixOf(key: string): string {
  if (key.startsWith(FILLER_PREFIX)) return FILLER_PREFIX;
  if (key.startsWith(INTEGRITY_PREFIX)) return INTEGRITY_PREFIX;
  for (const id of LAYER_IDS) {
    const p = FAILURE_CONTRACT[id].keyPrefixes.find((x) => key.startsWith(x));
    if (p) return p;
  }
  return OTHER_PREFIX;
}

/** A sampled key, classified. */
export function sampleKey(key: string, bytes: number | null, pttlMs: number, now: number): SampledKey {
  return { key, keyClass: keyClassOf(key), prefix: prefixOf(key), bytes, sampledAt: now, expiresAt: pttlMs > 0 ? now + pttlMs : null, checkedAt: now };
}

export const CLASS_HOLDS: Record<KeyClass, string> = {
  L1: FAILURE_CONTRACT.L1.redisUse,
  L2: FAILURE_CONTRACT.L2.redisUse,
  L3: FAILURE_CONTRACT.L3.redisUse,
  CP: FAILURE_CONTRACT.CP.redisUse,
  filler: "Chaos memory filler (sandbox only)",
  integrity: "Integrity writer's sequenced keys (sandbox only)",
  other: "Keys no layer claims",
};

interface Tally {
  n: number;
  withBytes: number;
  bytes: number;
}
const tally = (keys: SampledKey[]): Tally =>
  keys.reduce((t, k) => ({ n: t.n + 1, withBytes: t.withBytes + (k.bytes === null ? 0 : 1), bytes: t.bytes + (k.bytes ?? 0) }), {
    n: 0,
    withBytes: 0,
    bytes: 0,
  });
const mean = (t: Tally) => (t.withBytes ? t.bytes / t.withBytes : null);

function group<T>(items: T[], by: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of items) m.set(by(x), [...(m.get(by(x)) ?? []), x]);
  return m;
}

/** Per class: sampled share extrapolated to `dbsize` keys; the four layers are always listed. */
export function estimateClasses(samples: SampledKey[], dbsize: number, evictions: Partial<Record<KeyClass, number>>, withExamples: boolean): KeyClassStats[] {
  const total = samples.length;
  const scale = total ? dbsize / total : 0;
  const byClass = group(samples, (s) => s.keyClass);
  const present = new Set<KeyClass>([...LAYER_IDS, ...(byClass.keys() as Iterable<KeyClass>), ...(Object.keys(evictions) as KeyClass[])]);
  const stats = [...present].map((keyClass): KeyClassStats => {
    const keys = byClass.get(keyClass) ?? [];
    const t = tally(keys);
    const m = mean(t);
    const estimatedKeys = Math.round(t.n * scale);
    const prefixes = [...group(keys, (k) => k.prefix)].map(([prefix, ks]): PrefixStats => {
      const pt = tally(ks);
      const pm = mean(pt);
      const est = Math.round(pt.n * scale);
      return { prefix, sampledKeys: pt.n, meanBytes: pm, estimatedKeys: est, estimatedBytes: pm === null ? null : est * pm };
    });
    return {
      keyClass,
      holds: CLASS_HOLDS[keyClass],
      sampledKeys: t.n,
      meanBytes: m,
      estimatedKeys,
      estimatedBytes: m === null ? (t.n ? null : 0) : estimatedKeys * m,
      keyShare: total ? t.n / total : 0,
      evictions: Math.round(evictions[keyClass] ?? 0),
      prefixes: prefixes.sort((a, b) => b.sampledKeys - a.sampledKeys),
      ...(withExamples ? { exampleKeys: keys.slice(0, 3).map((k) => k.key) } : {}),
    };
  });
  return stats.sort((a, b) => (b.estimatedBytes ?? 0) - (a.estimatedBytes ?? 0) || b.estimatedKeys - a.estimatedKeys);
}

const KIB = 1024;
const GIB = 1024 ** 3;
const SIZING = [
  { what: "Rate-limit window (L1 ZSET per tenant)", prefix: "l1:rl:", guideBytes: 100 },
  { what: "Session (L3)", prefix: "l3:session:", guideBytes: KIB },
];

/** The guide's "~100 bytes per rate limit window, ~1KB per session" against what was measured. */
export function guideSizing(samples: SampledKey[]): GuideSizing[] {
  return SIZING.map((s) => {
    const t = tally(samples.filter((k) => k.prefix === s.prefix));
    return { ...s, measuredBytes: mean(t), sampledKeys: t.n };
  });
}

/** The guide's triggers for moving to Redis Cluster, from the class estimates. */
export function scaleTriggers(classes: KeyClassStats[], usedMemory: number | null): ScaleTrigger[] {
  const prefix = (p: string) => classes.flatMap((c) => c.prefixes).find((x) => x.prefix === p) ?? null;
  const windows = prefix("l1:rl:");
  const sessions = prefix("l3:session:");
  const cacheAndSessions = classes
    .filter((c) => c.keyClass === "L2" || c.keyClass === "L3")
    .reduce<number | null>((a, c) => (c.estimatedBytes === null ? a : (a ?? 0) + c.estimatedBytes), null);
  return [
    {
      id: "tenants",
      label: "> 100 tenants with independent rate limit windows",
      value: windows?.estimatedKeys ?? 0,
      threshold: 100,
      unit: "count",
      basis: "estimated l1:rl: keys (one sliding window per tenant)",
    },
    {
      id: "sessions",
      label: "> 50K concurrent sessions in L3",
      value: sessions?.estimatedKeys ?? 0,
      threshold: 50_000,
      unit: "count",
      basis: "estimated l3:session: keys",
    },
    {
      id: "memory",
      label: "> 10GB memory needed for cache + sessions",
      value: cacheAndSessions,
      threshold: 10 * GIB,
      unit: "bytes",
      basis: `estimated L2 + L3 memory${usedMemory !== null ? `; used_memory of the master is ${(usedMemory / 1024 ** 2).toFixed(0)} MB` : ""}`,
    },
  ];
}

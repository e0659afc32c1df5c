/**
 * What memory pressure on one shard's master did, judged: whether the pressure happened at all
 * (the premise), which key classes were evicted there, whether the seeded sessions on that shard
 * survived (the guide's "session data preserved"), and whether the other shards were touched.
 * Pure.
 */
import type { CheckInput } from "../verdict";

export interface ShardPressure {
  master: string;
  shard: string;
  atCeiling: boolean;
  targetPercent: number;
  fills: number;
  /** Keys the master evicted during the run (INFO evicted_keys, after − before). */
  evicted: number;
  /** At 100 %: the evictions aimed at (half the keys it held). */
  goal: number;
  percent: number | null;
  reachedTarget: boolean;
  /** Keys gone per key prefix on the shard (census before − after). */
  gone: Record<string, number>;
  /** Evictions on each other master, by "shard-1 (node-1)". */
  otherEvictions: Record<string, number>;
}

/** Session fates per shard: "present", "lost", or a failure. */
export type SessionFates = Record<string, string[]>;

/** "l2:cache: 40, l3:session: 12": the classes that lost keys, most first. */
export function goneLine(gone: Record<string, number>): string {
  const parts = Object.entries(gone)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([prefix, n]) => `${prefix} ${n}`);
  return parts.length ? parts.join(", ") : "no key class lost keys";
}

const lostOf = (fates: string[]) => fates.filter((f) => f === "lost").length;

export function judgeShardPressure(p: ShardPressure, fates: SessionFates): CheckInput[] {
  const pressured = p.atCeiling ? p.evicted > 0 : p.reachedTarget;
  const premise = {
    shard: p.shard,
    expect: p.atCeiling
      ? `${p.shard}'s master ${p.master} filled until Redis evicts (aiming at half the keys it held: ${p.goal})`
      : `${p.shard}'s master ${p.master} filled to ${p.targetPercent}% of maxmemory`,
    observed: `${p.percent ?? "?"}% of maxmemory after ${p.fills} fill(s); ${p.evicted} keys evicted there; gone per class: ${goneLine(p.gone)}`,
  };
  const noPressure = p.atCeiling ? `${p.master} evicted nothing after ${p.fills} fill(s)` : `the fill stopped at ${p.percent ?? "?"}% of maxmemory`;
  const checks: CheckInput[] = [pressured ? { ...premise, ok: true } : { ...premise, notExercised: noPressure }];

  const mine = fates[p.shard] ?? [];
  const lost = lostOf(mine);
  const unclear = mine.filter((f) => f !== "present" && f !== "lost").length;
  const sessions = {
    claim: "sessions-preserved" as const,
    layer: "L3",
    shard: p.shard,
    expect: `all ${mine.length} seeded L3 sessions on ${p.shard} still readable under memory pressure on its master`,
    observed:
      lost === 0
        ? `all ${mine.length} still readable after ${p.evicted} evictions${unclear ? ` (${unclear} unclear answers)` : ""}`
        : `${lost} of ${mine.length} lost among ${p.evicted} evictions: allkeys-lru evicts any key, sessions included${unclear ? ` (${unclear} unclear answers)` : ""}`,
  };
  if (!mine.length) checks.push({ ...sessions, notExercised: `no seeded session landed on ${p.shard}` });
  else if (p.evicted === 0) checks.push({ ...sessions, notExercised: `${p.master} evicted nothing, so nothing could test it` });
  else checks.push({ ...sessions, ok: lost === 0 && unclear === 0 });

  const others = Object.entries(fates).filter(([shard]) => shard !== p.shard);
  const otherSessions = others.reduce((n, [, f]) => n + f.length, 0);
  const otherLost = others.reduce((n, [, f]) => n + lostOf(f), 0);
  const otherUnclear = others.reduce((n, [, f]) => n + f.filter((x) => x !== "present" && x !== "lost").length, 0);
  const evictedElsewhere = Object.values(p.otherEvictions).reduce((a, b) => a + b, 0);
  const isolation = {
    claim: "shard-isolation" as const,
    shard: "other shards",
    expect: `the other shards (${Object.keys(p.otherEvictions).join(", ")}) untouched: their masters evict nothing and their ${otherSessions} seeded sessions stay readable`,
    observed:
      `evicted: ${Object.entries(p.otherEvictions)
        .map(([s, n]) => `${s} ${n}`)
        .join(", ")}; sessions lost ${otherLost}/${otherSessions}` + (otherUnclear ? `, ${otherUnclear} unclear answers` : ""),
  };
  if (!pressured) checks.push({ ...isolation, notExercised: noPressure });
  else checks.push({ ...isolation, ok: evictedElsewhere === 0 && otherLost === 0 && otherUnclear === 0 });
  return checks;
}

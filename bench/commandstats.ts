/**
 * Redis load as Redis counts it: INFO commandstats on every node (total_commands_processed on
 * sentinels, which have no commandstats), read before and after a window. The bench's own reads
 * are subtracted: the "before" INFO shows up in the "after" one (a command is counted once it
 * has run, so INFO never counts itself).
 */
import Redis from "ioredis";
import type { StackState } from "../devstack/state";

export type CommandCounts = Record<string, number>;

export interface Target {
  name: string;
  kind: "redis" | "sentinel";
  redis: Redis;
}

/** One persistent connection per node and sentinel, opened before any window so connecting is never counted. */
export async function openTargets(state: StackState): Promise<Target[]> {
  const mk = (port: number, password?: string) =>
    new Redis({
      host: "127.0.0.1",
      port,
      password,
      connectTimeout: 2000,
      commandTimeout: 2000,
      maxRetriesPerRequest: 0,
      enableReadyCheck: false,
      lazyConnect: true,
      retryStrategy: (n) => Math.min(200 * n, 1000),
    });
  const targets: Target[] = [
    ...state.nodes.map((n) => ({ name: n.name, kind: "redis" as const, redis: mk(n.port, state.password) })),
    ...state.sentinels.map((s) => ({ name: s.name, kind: "sentinel" as const, redis: mk(s.port) })),
  ];
  for (const t of targets) t.redis.on("error", () => {});
  await Promise.all(targets.map((t) => t.redis.connect()));
  return targets;
}

export function closeTargets(targets: Target[]): void {
  for (const t of targets) t.redis.disconnect();
}

/** `cmdstat_<name>:calls=N,…` → {name: N}. */
export function parseCommandStats(text: string): CommandCounts {
  const out: CommandCounts = {};
  for (const m of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) out[m[1]] = Number(m[2]);
  return out;
}

/** Sentinels count commands only in total. */
const SENTINEL_TOTAL = "(sentinel total)";

async function readTarget(t: Target): Promise<CommandCounts> {
  if (t.kind === "redis") return parseCommandStats(await t.redis.info("commandstats"));
  const total = /total_commands_processed:(\d+)/.exec(await t.redis.info("stats"))?.[1];
  return { [SENTINEL_TOTAL]: Number(total ?? 0) };
}

export interface Reading {
  at: number;
  byTarget: Record<string, CommandCounts>;
}

export async function readAll(targets: Target[]): Promise<Reading> {
  const entries = await Promise.all(targets.map(async (t) => [t.name, await readTarget(t)] as const));
  return { at: Date.now(), byTarget: Object.fromEntries(entries) };
}

export interface WindowLoad {
  seconds: number;
  /** Commands per target over the window, the bench's own INFO taken out. */
  byTarget: Record<string, number>;
  total: number;
  /** Per command name, summed over targets. */
  byCommand: Record<string, number>;
}

/** What ran between two readings, minus the bench's one INFO per target. */
export function diff(before: Reading, after: Reading): WindowLoad {
  const byTarget: Record<string, number> = {};
  const byCommand: Record<string, number> = {};
  for (const [name, counts] of Object.entries(after.byTarget)) {
    let sum = 0;
    for (const [cmd, n] of Object.entries(counts)) {
      let d = n - (before.byTarget[name]?.[cmd] ?? 0);
      if (cmd === "info" || cmd === SENTINEL_TOTAL) d -= 1;
      sum += d;
      if (d) byCommand[cmd] = (byCommand[cmd] ?? 0) + d;
    }
    byTarget[name] = sum;
  }
  return { seconds: (after.at - before.at) / 1000, byTarget, total: Object.values(byTarget).reduce((a, b) => a + b, 0), byCommand };
}

/** Measures one window of `seconds`. */
export async function measureWindow(targets: Target[], seconds: number): Promise<WindowLoad> {
  const before = await readAll(targets);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  return diff(before, await readAll(targets));
}

import "server-only";
/**
 * What each scenario does on a Redis Cluster dev stack, on one shard, by command alone
 * (external-cluster.ts). One shard down is neither up nor down for the layers (a layer's call may
 * or may not touch that shard), so the layers are judged by the shared partial-fault rule; the
 * Redis side is judged on what could fail: the shard refused service, the others kept serving.
 */
import type { PlannedCommand } from "./capabilities";
import type { NodeAddress } from "../journal";
import type { ClusterDevScenario } from "./cluster-params";
import { fillerPattern, lockKey, markerKey, shardNamed, type DevClusterTopology } from "./cluster-topology";
import { addr, withClient } from "./connect";
import type { ClusterDevTarget } from "./external-cluster";
import { REACT_WINDOW_S } from "./external-params";
import { devStackMemoryPressure } from "./dev-memory";
import { devStackOutage } from "./dev-outage";
import { devStackFailover, PROMOTION_WAIT_MS } from "./dev-failover";
import type { DevStackRunContext } from "./external-scenarios";

export type ClusterDevRunContext = DevStackRunContext<ClusterDevTarget>;

/** A PING from a connection opened during the pause: a paused master answers nothing in this time. */
const PING_MS = 500;

const param = (ctx: ClusterDevRunContext, name: string) => ctx.run.params[name];
const secs = (ms: number) => Math.round(ms / 10) / 100;

/** Whether each shard's master answers PING on a connection opened now. */
async function answering(t: ClusterDevTarget): Promise<Map<string, boolean>> {
  const out = new Map<string, boolean>();
  for (const s of t.topology.shards)
    out.set(
      s.name,
      await withClient(s.master, t.opts.auth, PING_MS, (r) => r.ping()).then(
        () => true,
        () => false,
      ),
    );
  return out;
}

/** One shard's master paused: the outage written once for the dev stacks (dev-outage.ts). */
function outage(ctx: ClusterDevRunContext): Promise<void> {
  const shard = String(param(ctx, "shard"));
  let master = "";
  return devStackOutage(ctx, {
    step: "pause the shard's master",
    pause: async (ms) => {
      master = addr(await ctx.target.pause(shard, ms));
      return `CLIENT PAUSE ${ms} ALL on ${master} (${shard})`;
    },
    shard: { name: shard, master: () => master, answering: () => answering(ctx.target), pingMs: PING_MS },
  });
}

/** CLUSTER FAILOVER on the shard's replica: failover written once for the dev stacks (dev-failover.ts); a shard's slots move at once, so the layers are held to serving normally. */
function failover(ctx: ClusterDevRunContext): Promise<void> {
  const shard = String(param(ctx, "shard"));
  ctx.run.metrics.shard = shard;
  let replica: NodeAddress | null = null;
  return devStackFailover(ctx, {
    ask: {
      step: "CLUSTER FAILOVER",
      run: async () => {
        const f = await ctx.target.failover(shard);
        replica = f.replica;
        return `sent to ${addr(f.replica)}, replica of ${addr(f.master)} (${shard})`;
      },
    },
    wait: {
      step: "wait for the replica to take the shard",
      promoted: async () => (replica && (await ctx.target.isMaster(replica)) ? addr(replica) : null),
      everyMs: 100,
      detail: (m, ms) =>
        m ? `${m} master after ${secs(ms!)} s` : `${replica ? addr(replica) : "the replica"} not master within ${PROMOTION_WAIT_MS / 1000} s`,
    },
    check: { shard, expect: `${shard}'s replica takes its slots after CLUSTER FAILOVER` },
    layers: {
      expect: (id) => `${id} served normally after a manual failover (no write lost, the slots move at once)`,
      keeps: (_id, st) => st === "ok",
    },
  });
}

/** One shard's slots filled: memory-pressure written once for the dev stacks (dev-memory.ts). */
function memoryPressure(ctx: ClusterDevRunContext): Promise<void> {
  const shard = String(param(ctx, "shard"));
  return devStackMemoryPressure(ctx, {
    step: "fill the shard's memory",
    fill: (percent, ttlMs, policy) => ctx.target.fillMemory(shard, percent, ttlMs, policy),
    describe: (r) => `${r.keys} filler keys on ${addr(r.master)} (${shard}), ${r.usedPercent}% of ${r.maxmemory} bytes, ${r.evicted} evicted`,
    shard: { name: shard, evictedByShard: () => ctx.target.evictedByShard() },
  });
}

export const CLUSTER_DEV_DRIVERS: Record<ClusterDevScenario, (ctx: ClusterDevRunContext) => Promise<void>> = {
  outage,
  failover,
  "memory-pressure": memoryPressure,
};

/** "Say before": every command a cluster run sends, where, what undoes it. Pure. */
export function clusterPlan(
  scenario: ClusterDevScenario,
  params: Record<string, unknown>,
  topo: DevClusterTopology,
  deployment: string,
  lockTtlMs: number,
): PlannedCommand[] {
  const plan: PlannedCommand[] = topo.shards.map((s) => ({
    address: addr(s.master),
    command: `GET ${markerKey(s.tag)}`,
    restores: `nothing (checks ${s.name}'s marker names ${deployment})`,
    durationMs: null,
  }));
  const first = topo.shards[0];
  plan.push({
    address: addr(first.master),
    command: `SET ${lockKey(first.tag)} <run id> NX PX ${lockTtlMs}`,
    restores: "released at the end (compare-and-delete)",
    durationMs: null,
  });
  const shard = shardNamed(topo, String(params.shard));
  const m = addr(shard.master);
  if (scenario === "outage") {
    const ms = (Number(params.durationSeconds) + REACT_WINDOW_S) * 1000;
    plan.push({
      address: m,
      command: `CLIENT PAUSE ${ms} ALL`,
      restores: "CLIENT UNPAUSE on a connection opened before; Redis lifts it itself after the window",
      durationMs: ms,
    });
  } else if (scenario === "failover") {
    const replica = shard.replicas[0];
    plan.push({
      address: replica ? addr(replica) : "(no replica)",
      command: "CLUSTER FAILOVER",
      restores: `CLUSTER FAILOVER on ${m} (the master before) at the end, waited for up to 30 s, so the roles are as before`,
      durationMs: null,
    });
  } else {
    plan.push({
      address: m,
      command: "CONFIG SET maxmemory <used + 4 MB>; CONFIG SET maxmemory-policy <policy>",
      restores: "CONFIG SET back to the journaled originals",
      durationMs: null,
    });
    plan.push({
      address: m,
      command: `SET ${fillerPattern(shard.tag, "<run id>").replace(/\*$/, "<n>")} <64 KB> PX <ttl>`,
      restores: "exactly those keys deleted (SCAN MATCH, UNLINK) on the master serving the tag's slot; they carry a TTL besides",
      durationMs: (Number(params.durationSeconds) + 30) * 1000,
    });
  }
  return plan;
}

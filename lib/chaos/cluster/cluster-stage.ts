import "server-only";
/**
 * What every cluster scenario sets up before its fault, and always takes down after: the run's
 * own reader and ~100 ms poll of the nodes, the shard under test, tenants and L3 sessions on
 * every shard (by hash slot), and the tenant traffic that calls the layers as they would.
 */
import { z } from "zod";
import { LAYER_IDS } from "../../contract/failure-contract";
import type { RunContext } from "../run-context";
import type { ClusterControlClient as ClusterControl } from "../../contract/cluster-control-client";
import { ClusterPoll } from "./cluster-poll";
import { ClusterReader } from "./cluster-reader";
import { everyAnsweringOk, firstClusterFail, shardsOf, viewsAgree, type ShardRef } from "./shard-map";
import { describeGroups, PROBE_TENANT, targetShard, tenantsByShard } from "./shard-tenants";
import type { ClusterEvents } from "./shard-verdict";
import { seedSessions, tenantPlan, TenantTraffic, type LayerUrls, type TenantSample } from "./tenant-traffic";

export type ClusterRunContext<P> = RunContext<P, ClusterControl>;

export const SHARD_CHOICES = ["probe", "shard-1", "shard-2", "shard-3"] as const;
export const ShardParam = z
  .enum(SHARD_CHOICES, { message: 'shard must be "probe" (the shard holding the console\'s probe tenant) or shard-1, shard-2, shard-3' })
  .default("probe")
  .meta({ help: `which shard: "probe" is the one holding the console's probe tenant (${PROBE_TENANT}); shard-1..3 are named by lowest slot` });

export const STAGE_STEP = "choose tenants on every shard";
/** The first step of a scenario that calls no layer (data-integrity): only the shards. */
export const TOPOLOGY_STEP = "read the cluster's shards";

export interface ClusterStage {
  reader: ClusterReader;
  poll: ClusterPoll;
  shards: ShardRef[];
  /** The shard under test, and the others. */
  target: ShardRef;
  others: ShardRef[];
  /** Tenants and L3 session ids per shard name. */
  tenants: Record<string, string[]>;
  sessions: Record<string, string[]>;
  traffic: TenantTraffic;
  /** cluster-require-full-coverage on the shard's master; null when it could not be read. */
  fullCoverage: boolean | null;
  urls: LayerUrls;
}

/** Groups without the shard under test: who "the other shards" are in a check. */
export function othersOf<T>(groups: Record<string, T[]>, target: string): Record<string, T[]> {
  return Object.fromEntries(Object.entries(groups).filter(([shard]) => shard !== target));
}

/** The cluster's events since `faultAt`, for the verdicts' explanations. */
export function eventsSince(stage: ClusterStage, faultAt: number): ClusterEvents {
  const fail = firstClusterFail(stage.poll.looks, faultAt);
  const okAgain = fail ? stage.poll.firstSince(fail.at, everyAnsweringOk) : null;
  return { faultAt, clusterFailAt: fail?.at ?? null, clusterFailNode: fail?.node ?? null, clusterOkAt: okAgain?.at ?? null, fullCoverage: stage.fullCoverage };
}

/** The traffic's samples in [from, to). */
export function samplesIn(stage: ClusterStage, from: number, to = Infinity): TenantSample[] {
  return stage.traffic.samples.filter((s) => s.at >= from && s.at < to);
}

async function fullCoverageOf(reader: ClusterReader, node: string): Promise<boolean | null> {
  try {
    const reply = (await (await reader.ready(node)).config("GET", "cluster-require-full-coverage")) as string[];
    return reply[1] === undefined ? null : reply[1] === "yes";
  } catch {
    return null;
  }
}

const SETTLE_MS = 10_000;

/** A look in which every node agrees with every other about roles (views converge shortly after a reset). */
async function settledLook(ctx: ClusterRunContext<unknown>, reader: ClusterReader) {
  const deadline = Date.now() + SETTLE_MS;
  let look = await reader.look();
  while (viewsAgree(look).length && Date.now() < deadline) {
    await ctx.watch(100);
    look = await reader.look();
  }
  const left = viewsAgree(look);
  if (left.length) throw new Error(`the cluster's nodes do not agree about the topology after ${SETTLE_MS / 1000} s: ${left.slice(0, 3).join("; ")}`);
  return look;
}

async function prepare<P extends { shard: string }>(
  ctx: ClusterRunContext<P>,
  reader: ClusterReader,
  poll: ClusterPoll,
  withTenants: boolean,
): Promise<ClusterStage> {
  const urls = Object.fromEntries(LAYER_IDS.map((id) => [id, ctx.layerUrl(id)])) as LayerUrls;
  const shards = shardsOf(await settledLook(ctx, reader));
  const target = targetShard(shards, ctx.params.shard);
  if (!target)
    throw new Error(
      `no ${ctx.params.shard === "probe" ? `shard holds ${PROBE_TENANT}` : ctx.params.shard}: the cluster has ${shards.map((s) => s.name).join(", ") || "no shard"}`,
    );
  const fullCoverage = await fullCoverageOf(reader, target.master);
  const base = { reader, poll, shards, target, others: shards.filter((s) => s !== target), fullCoverage, urls };
  if (!withTenants) return { ...base, tenants: {}, sessions: {}, traffic: new TenantTraffic(urls, [], ctx.run.id) };
  const tenants = tenantsByShard(shards, ctx.run.id);
  const sessions = await seedSessions(urls.L3, shards, Object.values(tenants).flat());
  const traffic = new TenantTraffic(urls, tenantPlan(tenants, sessions), ctx.run.id);
  // Before any fault every tenant must be served normally, or the verdicts after it would prove nothing.
  const baseline = (await traffic.round()).filter((s) => s.kind !== "normal");
  if (baseline.length)
    throw new Error(
      `before the fault not every tenant was served normally: ${baseline
        .slice(0, 4)
        .map((s) => `${s.layer} ${s.subject} ${s.text}`)
        .join(", ")}`,
    );
  return { ...base, tenants, sessions, traffic };
}

/** Sets up the stage as the run's first step, runs `body`, and always stops the traffic, the poll and the reader. */
export async function withClusterStage<P extends { shard: string }>(
  ctx: ClusterRunContext<P>,
  body: (stage: ClusterStage) => Promise<void>,
  { tenants = true }: { tenants?: boolean } = {},
): Promise<void> {
  const dir = ctx.devstackDir();
  if (!dir) throw new Error("the console's config names no cluster sandbox directory");
  const reader = ClusterReader.forDir(dir);
  const poll = new ClusterPoll(reader);
  let stage: ClusterStage | null = null;
  try {
    stage = await ctx.step(
      tenants ? STAGE_STEP : TOPOLOGY_STEP,
      () => prepare(ctx, reader, poll, tenants),
      (s) =>
        `${s.target.name} under test (master ${s.target.master}, replica ${s.target.replicas.join(", ") || "none"})` +
        `${ctx.params.shard === "probe" ? `, the shard of ${PROBE_TENANT}` : ""}` +
        (tenants
          ? `; tenants ${describeGroups(s.tenants)}; sessions ${describeGroups(s.sessions)}`
          : `; shards ${s.shards.map((x) => `${x.name} ${x.master}`).join(", ")}`),
    );
    ctx.metric("shard", stage.target.name);
    ctx.metric("full_coverage", stage.fullCoverage === null ? null : stage.fullCoverage ? "yes" : "no");
    poll.start();
    await body(stage);
  } finally {
    await stage?.traffic.stop();
    await poll.stop();
    reader.close();
  }
}

/** Waits (abortably) until `predicate` holds over the traffic's samples; false when `timeoutMs` passes first. */
export async function waitForSamples(
  ctx: ClusterRunContext<unknown>,
  stage: ClusterStage,
  predicate: (samples: TenantSample[]) => boolean,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate(stage.traffic.samples)) return true;
    await ctx.watch(100);
  }
  return predicate(stage.traffic.samples);
}

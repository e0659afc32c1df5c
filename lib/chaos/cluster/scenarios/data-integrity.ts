import "server-only";
/**
 * data-integrity on the cluster: sequenced writes on every shard through a cluster-aware client
 * while one shard's master is killed -9 (its replica promoted by the cluster) or handed over by
 * CLUSTER FAILOVER. After the promotion, once every shard takes writes again, every acknowledged
 * write is read back and the lost ones are counted per shard.
 */
import { z } from "zod";
import { readClusterState } from "../../../contract/cluster-state";
import { paramsInfo } from "../../param-info";
import { CLOSING_STEPS, PREFLIGHT_STEP, secondsBetween, type Scenario } from "../../scenario";
import type { ClusterControlClient as ClusterControl } from "../../../contract/cluster-control-client";
import { ShardParam, TOPOLOGY_STEP, withClusterStage, type ClusterRunContext, type ClusterStage } from "../cluster-stage";
import { judgeIntegrity } from "../integrity-verdict";
import { watchPromotion } from "../promotion";
import { inSeconds } from "../shard-verdict";
import { ShardedWriter, shardTags } from "../sharded-writer";

const Params = z.strictObject({
  shard: ShardParam,
  mode: z
    .enum(["kill", "manual"], { message: 'mode must be "kill" (kill -9 the master) or "manual" (CLUSTER FAILOVER on its replica)' })
    .default("kill")
    .meta({ help: "kill -9 the shard's master while it takes writes (the cluster promotes its replica), or CLUSTER FAILOVER on the replica" }),
});
type IntegrityParams = z.infer<typeof Params>;

const WRITE_BEFORE_MS = 3000;
const PROMOTION_WAIT_MS = 45_000;
const RESUME_WAIT_MS = 30_000;
const RESUMED_WRITES = 10;

async function fault(ctx: ClusterRunContext<IntegrityParams>, stage: ClusterStage): Promise<string> {
  const { master, replicas } = stage.target;
  if (ctx.params.mode === "kill") {
    await ctx.control.fault(master, "kill", 180);
    return `kill -9 ${master} while it took writes; no goodbye to its replica ${replicas.join(", ")}`;
  }
  const answer = await ctx.control.failover(replicas[0], "default");
  return `CLUSTER FAILOVER on ${answer.node}: it took over from ${answer.promotedFrom ?? master}`;
}

/** Every shard has taken `RESUMED_WRITES` acknowledged writes since `since`. */
async function resumed(ctx: ClusterRunContext<IntegrityParams>, writer: ShardedWriter, stage: ClusterStage, since: number): Promise<boolean> {
  const deadline = Date.now() + RESUME_WAIT_MS;
  const all = () => stage.shards.every((s) => writer.acknowledgedSince(s.name, since) >= RESUMED_WRITES);
  while (!all() && Date.now() < deadline) await ctx.watch(100);
  return all();
}

export const clusterDataIntegrity: Scenario<IntegrityParams, ClusterControl> = {
  info: {
    id: "data-integrity",
    title: "Data integrity across a shard's failover",
    description:
      "Sequenced writes on every shard through a cluster client while one shard's master is killed -9 (or handed over by CLUSTER FAILOVER). Every acknowledged write is read back after the promotion; lost writes are counted per shard.",
    claims: ["cluster-failover", "shard-isolation", "rpo-1s"],
    params: paramsInfo(Params),
    steps: [
      PREFLIGHT_STEP,
      TOPOLOGY_STEP,
      "start sequenced writes on every shard",
      "fail the shard's master over",
      "wait for the promotion",
      "wait for writes to resume on every shard",
      "stop the writes and read back",
      ...CLOSING_STEPS,
    ],
  },
  params: Params,
  run: (ctx) =>
    withClusterStage(
      ctx,
      async (stage) => {
        const tags = shardTags(stage.shards, ctx.run.id);
        const writer = new ShardedWriter(stage.reader.nodes, readClusterState(ctx.devstackDir()!)?.password, tags);
        try {
          await ctx.step(
            "start sequenced writes on every shard",
            async () => {
              await writer.ready();
              writer.start();
              await ctx.watch(WRITE_BEFORE_MS);
            },
            () => `one writer per shard, a write every 20 ms, keys chaos:integrity:{${ctx.run.id}-w…}:<seq>`,
          );
          const faultAt = Date.now();
          const ackedBeforeFault = writer.acknowledgedSince(stage.target.name, 0);
          ctx.metric("acknowledged_before_fault", ackedBeforeFault);
          await ctx.step(
            "fail the shard's master over",
            () => fault(ctx, stage),
            (d) => d,
          );
          const promotion = await ctx.step(
            "wait for the promotion",
            () => watchPromotion(ctx, stage, faultAt, PROMOTION_WAIT_MS),
            (p) => (p.promoted ? `${p.promoted} reported itself master after ${inSeconds(p.promotedAt! - faultAt)}` : "no promotion seen"),
          );
          ctx.metric("promotion_s", promotion.promotedAt === null ? null : secondsBetween(faultAt, promotion.promotedAt));
          ctx.metric("cluster_ok_s", promotion.okAt === null ? null : secondsBetween(faultAt, promotion.okAt));
          if (!promotion.promoted) throw new Error(`no replica of ${stage.target.name} reported itself master within ${PROMOTION_WAIT_MS / 1000} s`);
          await ctx.step("wait for writes to resume on every shard", async () => {
            const since = promotion.okAt ?? promotion.promotedAt!;
            if (!(await resumed(ctx, writer, stage, since)))
              throw new Error(`not every shard took ${RESUMED_WRITES} acknowledged writes within ${RESUME_WAIT_MS / 1000} s of the promotion`);
            ctx.metric("writes_resumed_s", secondsBetween(faultAt, Date.now()));
          });
          const readBack = await ctx.step(
            "stop the writes and read back",
            async () => {
              await writer.stop();
              return writer.readBack();
            },
            (r) =>
              Object.entries(r)
                .map(([s, x]) => `${s}: ${x.acknowledged} acknowledged, ${x.lost.length} lost, ${x.refused} refused`)
                .join("; "),
          );
          for (const [s, r] of Object.entries(readBack)) {
            ctx.metric(`acknowledged_${s}`, r.acknowledged);
            ctx.metric(`lost_${s}`, r.error ? null : r.lost.length);
            ctx.metric(`refused_${s}`, r.refused);
          }
          const replica = promotion.promoted ?? stage.target.replicas[0];
          for (const c of judgeIntegrity({
            shard: stage.target.name,
            master: stage.target.master,
            replica,
            mode: ctx.params.mode,
            faultAt,
            ackedBeforeFault,
            readBack,
          }))
            ctx.check(c);
        } finally {
          await writer.stop();
          writer.close();
        }
      },
      { tenants: false },
    ),
};

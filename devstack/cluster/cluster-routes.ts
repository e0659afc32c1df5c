/**
 * The cluster control API's shard routes: POST /nodes/:name/failover (CLUSTER FAILOVER on a
 * replica), POST /nodes/:name/fill (memory pressure on one master) and DELETE /memory/filler.
 */
import { z } from "zod";
import type { ClusterFailoverAnswer, ClusterFillAnswer } from "../../lib/contract/cluster-control-answers";
import { TtlSeconds } from "../../lib/contract/control-requests";
import { ok, type ControlRoute } from "../control/control-deps";
import { effectiveTtl, type FaultBook } from "../control/fault-book";
import { HttpError, validate } from "../http/http-kit";
import type { ManagedProcess } from "../topology/managed-process";
import { FailoverBody, failoverTo } from "./cluster-failover";
import { fillClusterNode, removeClusterFiller } from "./cluster-filler";

export const DEFAULT_FILL_PERCENT = 95;

export const ClusterFillBody = z.strictObject({
  targetPercent: z
    .number({ error: "targetPercent must be a number: the share of maxmemory to fill, 1-100 (default 95)" })
    .min(1, "targetPercent must be at least 1")
    .max(100, "targetPercent must be at most 100")
    .optional(),
  ttlSeconds: TtlSeconds,
});

export interface ShardRouteDeps {
  byName(name: string): ManagedProcess;
  nodes(): ManagedProcess[];
  password: string;
  faults: FaultBook;
}

export function shardRoutes(deps: ShardRouteDeps): ControlRoute[] {
  const removeAll = () => removeClusterFiller(deps.nodes(), deps.password);
  return [
    {
      method: "POST",
      pattern: "/nodes/:name/failover",
      handler: async (params, body) => {
        const node = deps.byName(params.name);
        const { mode = "default" } = validate(FailoverBody, body);
        return ok((await failoverTo(node, deps.nodes(), deps.password, mode)) satisfies ClusterFailoverAnswer);
      },
    },
    {
      method: "POST",
      pattern: "/nodes/:name/fill",
      handler: async (params, body) => {
        const node = deps.byName(params.name);
        const { targetPercent = DEFAULT_FILL_PERCENT, ttlSeconds } = validate(ClusterFillBody, body);
        if (!node.running || node.frozen)
          throw new HttpError(409, `${node.name} is ${node.frozen ? "frozen" : "not running"}; only a live master can be filled`);
        const ttl = effectiveTtl(ttlSeconds);
        const result = await fillClusterNode(node.name, node.port, deps.password, targetPercent, ttl * 1000);
        const fault = deps.faults.add("memory-fill", node.name, { targetPercent, keys: result.keysWritten, slot: result.slot }, ttl, async (reason) => {
          // The keys carry the same TTL, so a shutdown may leave them to expire by themselves.
          if (reason !== "shutdown") await removeAll();
        });
        return ok({ node: node.name, ...result, fault } satisfies ClusterFillAnswer);
      },
    },
    {
      method: "DELETE",
      pattern: "/memory/filler",
      handler: async () => {
        for (const f of deps.faults.list().filter((x) => x.kind === "memory-fill")) deps.faults.forget(f.kind, f.target);
        return ok({ removed: await removeAll() });
      },
    },
  ];
}

/** Network, layer, memory and Sentinel faults: each with a TTL, each listed by GET /faults. */
import type { FaultAnswer, FillAnswer, LayerHangCleared, ProxyCleared, FaultList, FailoverAnswer } from "../../lib/contract/control-answers";
import { CutBody, FillBody, LatencyBody, TtlBody } from "../../lib/contract/control-requests";
import { LAYER_IDS } from "../../lib/contract/failure-contract";
import { HttpError, validate } from "../http/http-kit";
import type { LayerServer } from "../layers/layer-server";
import { messageOf } from "../timeouts";
import { effectiveTtl } from "./fault-book";
import { ok, type ControlDeps, type ControlRoute } from "./control-deps";
import { fillMemory, removeFiller } from "./memory-filler";

function layerOf(deps: ControlDeps, id: string): LayerServer {
  const layer = deps.layers.find((l) => l.id === id);
  if (!layer) throw new HttpError(404, `no layer "${id}"; layers are ${LAYER_IDS.join(", ")}`);
  return layer;
}

function masterPort(deps: ControlDeps): number {
  const master = deps.watch.current;
  if (!master) throw new HttpError(409, "no master is known to the sentinels right now");
  return master.port;
}

/** The fault routes (proxy, layers, memory, sentinel, list). */
export function faultRoutes(deps: ControlDeps): ControlRoute[] {
  const { proxy, faults, ctx } = deps;
  return [
    { method: "GET", pattern: "/faults", handler: async () => ok({ faults: faults.list(), proxy: proxy.faultState() } satisfies FaultList) },
    {
      method: "POST",
      pattern: "/proxy/latency",
      handler: async (_p, body) => {
        const { ms, jitterMs = 0, ttlSeconds } = validate(LatencyBody, body);
        proxy.setLatency(ms, jitterMs);
        return ok({
          fault: faults.add("proxy-latency", "proxy", { ms, jitterMs }, effectiveTtl(ttlSeconds), async () => proxy.clearLatency()),
        } satisfies FaultAnswer);
      },
    },
    {
      method: "POST",
      pattern: "/proxy/cut",
      handler: async (_p, body) => {
        const { mode = "refuse", ttlSeconds } = validate(CutBody, body);
        proxy.cut(mode);
        return ok({ fault: faults.add("proxy-cut", "proxy", { mode }, effectiveTtl(ttlSeconds), async () => proxy.uncut()) } satisfies FaultAnswer);
      },
    },
    {
      method: "POST",
      pattern: "/proxy/blackhole",
      handler: async (_p, body) => {
        const { ttlSeconds } = validate(TtlBody, body);
        proxy.startBlackhole();
        return ok({ fault: faults.add("proxy-blackhole", "proxy", {}, effectiveTtl(ttlSeconds), async () => proxy.stopBlackhole()) } satisfies FaultAnswer);
      },
    },
    {
      method: "DELETE",
      pattern: "/proxy/faults",
      handler: async () => {
        const undone = await faults.clear("cleared", (f) => f.kind.startsWith("proxy-"));
        proxy.clearFaults();
        return ok({ undone: undone.map((f) => f.kind), proxy: proxy.faultState() } satisfies ProxyCleared);
      },
    },
    {
      method: "POST",
      pattern: "/layers/:id/hang",
      handler: async (params, body) => {
        const layer = layerOf(deps, params.id);
        const { ttlSeconds } = validate(TtlBody, body);
        layer.hang();
        return ok({ fault: faults.add("layer-hang", layer.id, {}, effectiveTtl(ttlSeconds), async () => layer.unhang()) } satisfies FaultAnswer);
      },
    },
    {
      method: "DELETE",
      pattern: "/layers/:id/hang",
      handler: async (params) => {
        const layer = layerOf(deps, params.id);
        if (!(await faults.remove("layer-hang", layer.id))) layer.unhang();
        return ok({ layer: layer.id, hung: layer.isHung } satisfies LayerHangCleared);
      },
    },
    {
      method: "POST",
      pattern: "/memory/fill",
      handler: async (_p, body) => {
        const { targetPercent, ttlSeconds } = validate(FillBody, body);
        const ttl = effectiveTtl(ttlSeconds);
        const result = await fillMemory(masterPort(deps), ctx.auth.devstack, targetPercent, ttl * 1000);
        const fault = faults.add("memory-fill", "master", { targetPercent, keys: result.keysWritten }, ttl, async (reason) => {
          // Filler keys carry the same TTL, so a shutdown may leave them to expire by themselves.
          if (reason !== "shutdown") await removeFiller(masterPort(deps), ctx.auth.devstack);
        });
        return ok({ ...result, fault } satisfies FillAnswer);
      },
    },
    {
      method: "DELETE",
      pattern: "/memory/filler",
      handler: async () => {
        faults.forget("memory-fill", "master");
        return ok({ removed: await removeFiller(masterPort(deps), ctx.auth.devstack) });
      },
    },
    {
      method: "POST",
      pattern: "/sentinel/failover",
      handler: async () => {
        const previous = deps.watch.current;
        const unusable = new Set(ctx.topology.sentinels.filter((s) => !s.running || s.frozen).map((s) => s.name));
        try {
          const { sentinel } = await deps.watch.askAnySentinel(["SENTINEL", "FAILOVER", ctx.settings.masterName], (n) => unusable.has(n));
          return ok({ started: true, via: sentinel, previousMaster: previous && `${previous.host}:${previous.port}` } satisfies FailoverAnswer);
        } catch (err) {
          throw new HttpError(409, messageOf(err));
        }
      },
    },
  ];
}

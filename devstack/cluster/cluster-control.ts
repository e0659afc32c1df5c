/**
 * The cluster sandbox's control API: node:http on 127.0.0.1 with the Bearer control token, the
 * same server, router, TTL fault book and request bodies as the Sentinel sandbox's
 * (devstack/control). Routes: GET /status, GET /faults, POST /nodes/:name/kill|freeze|thaw|restart,
 * POST /nodes/:name/failover, POST /nodes/:name/fill, DELETE /memory/filler,
 * POST|DELETE /layers/:id/misbehave, POST /reset.
 */
import type { ClusterControlStatus } from "../../lib/contract/cluster-control-answers";
import { NODE_ACTIONS, TtlBody, EmptyBody, type NodeAction } from "../../lib/contract/control-requests";
import type { StackService } from "../context";
import { redactor } from "../control/control-api";
import { ok, type ControlReply, type ControlRoute } from "../control/control-deps";
import { startControlServer } from "../control/control-server";
import { effectiveTtl, FaultBook } from "../control/fault-book";
import { layerRoutes } from "../control/routes-layers";
import { HttpError, validate } from "../http/http-kit";
import type { LayerServer } from "../layers/layer-server";
import type { ManagedProcess } from "../topology/managed-process";
import { describeCluster } from "./cluster-status";
import { checkCluster } from "./cluster-health";
import { resetCluster, targetOf } from "./cluster-reset";
import { shardRoutes } from "./cluster-routes";
import type { ClusterNode } from "./cluster-topology";
import type { ClusterState } from "./state";

export interface ClusterControlContext {
  nodes: ClusterNode[];
  /** The layer stand-ins on cluster clients (misbehave, reset). */
  layers: LayerServer[];
  password: string;
  controlToken: string;
  /** The state as last persisted (secrets inside: never answer with it). */
  state(): ClusterState;
  log(message: string): void;
}

function byName(ctx: ClusterControlContext, name: string): ManagedProcess {
  const node = ctx.nodes.find((n) => n.process.name === name)?.process;
  if (!node)
    throw new HttpError(403, `"${name}" is not a node this cluster sandbox started; it acts only on ${ctx.nodes.map((n) => n.process.name).join(", ")}`);
  return node;
}

async function act(faults: FaultBook, node: ManagedProcess, action: NodeAction, ttlSeconds: number | undefined): Promise<ControlReply> {
  const ttl = effectiveTtl(ttlSeconds);
  switch (action) {
    case "kill": {
      if (!node.running) throw new HttpError(409, `${node.name} is not running; restart it with POST /nodes/${node.name}/restart`);
      faults.forget("node-freeze", node.name);
      await node.kill();
      const fault = faults.add("node-kill", node.name, {}, ttl, async (reason) => {
        if (reason !== "shutdown" && !node.running) node.start();
      });
      return ok({ node: node.name, action, running: false, fault });
    }
    case "freeze": {
      if (!node.running) throw new HttpError(409, `${node.name} is not running, so it cannot be frozen`);
      await node.freeze();
      const fault = faults.add("node-freeze", node.name, {}, ttl, async () => {
        if (node.frozen) await node.thaw();
      });
      return ok({ node: node.name, action, frozen: true, pid: node.pid, fault });
    }
    case "thaw":
      if (!(await faults.remove("node-freeze", node.name))) await node.thaw();
      return ok({ node: node.name, action, frozen: false, pid: node.pid });
    case "restart":
      faults.forget("node-kill", node.name);
      faults.forget("node-freeze", node.name);
      await node.restart();
      return ok({ node: node.name, action, running: node.running, pid: node.pid });
  }
}

/** Starts the cluster's control API on `port`; stopping it undoes every fault. */
export async function startClusterControl(ctx: ClusterControlContext, port: number): Promise<StackService & { url: string }> {
  const faults = new FaultBook(ctx.log);
  const resetting = { active: false };
  const redact = redactor([ctx.password, ctx.controlToken]);
  const routes: ControlRoute[] = [
    {
      method: "GET",
      pattern: "/status",
      handler: async () => {
        const state = ctx.state();
        const health = await checkCluster({ ...targetOf(ctx), timeoutMs: 500 });
        const layers = ctx.layers.map((l) => ({ id: l.id, port: l.port, url: l.url, hung: l.isHung, misbehaving: l.def.misbehave.mode }));
        return ok({
          ...describeCluster(state, health, (pid) => pid !== null),
          layers,
          faults: faults.list(),
          resetting: resetting.active,
        } satisfies ClusterControlStatus);
      },
    },
    { method: "GET", pattern: "/faults", handler: async () => ok({ faults: faults.list() }) },
    ...NODE_ACTIONS.map((action): ControlRoute => ({
      method: "POST",
      pattern: `/nodes/:name/${action}`,
      handler: async (params, body) => act(faults, byName(ctx, params.name), action, validate(TtlBody, body).ttlSeconds),
    })),
    ...shardRoutes({ byName: (name) => byName(ctx, name), nodes: () => ctx.nodes.map((n) => n.process), password: ctx.password, faults }),
    ...layerRoutes({ layers: ctx.layers, faults }),
    {
      method: "POST",
      pattern: "/reset",
      handler: async (_params, body) => {
        validate(EmptyBody, body);
        resetting.active = true;
        try {
          return ok(await resetCluster(ctx, faults));
        } catch (err) {
          throw new HttpError(503, `reset did not reach a healthy cluster: ${(err as Error).message}`);
        } finally {
          resetting.active = false;
        }
      },
    },
  ];
  const server = await startControlServer({ port, token: ctx.controlToken, routes, log: (m) => ctx.log(redact(m)), redact, busy: () => resetting.active });
  return {
    name: "cluster-control",
    url: `http://127.0.0.1:${port}`,
    async stop() {
      server.closeAllConnections();
      server.close();
      await faults.clear("shutdown");
    },
  };
}

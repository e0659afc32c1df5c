/**
 * Process faults on the nodes devstack spawned: kill, freeze, thaw, restart — by name
 * (`/nodes/:name/...`) or by pid (`/processes/... {pid}`). Anything devstack did not spawn is
 * refused with 403: the control API never touches another process.
 */
import type { NodeActionAnswer } from "../../lib/contract/control-answers";
import { NODE_ACTIONS, PidBody, TtlBody, type NodeAction } from "../../lib/contract/control-requests";
import { HttpError, validate } from "../http/http-kit";
import type { ManagedProcess } from "../topology/managed-process";
import { effectiveTtl } from "./fault-book";
import { ok, type ControlDeps, type ControlReply, type ControlRoute } from "./control-deps";

function byName(deps: ControlDeps, name: string): ManagedProcess {
  const node = deps.ctx.topology.all.find((p) => p.name === name);
  if (!node) {
    const known = deps.ctx.topology.all.map((p) => p.name).join(", ");
    throw new HttpError(403, `"${name}" is not a process this devstack started; it acts only on ${known}`);
  }
  return node;
}

function byPid(deps: ControlDeps, pid: number): ManagedProcess {
  const node = deps.ctx.topology.all.find((p) => p.pid === pid);
  if (!node)
    throw new HttpError(403, `pid ${pid} is not a running process this devstack started; it acts only on its own redis-server and redis-sentinel processes`);
  return node;
}

async function act(deps: ControlDeps, node: ManagedProcess, action: NodeAction, ttlSeconds: number | undefined): Promise<ControlReply> {
  const { faults } = deps;
  const ttl = effectiveTtl(ttlSeconds);
  switch (action) {
    case "kill": {
      if (!node.running) throw new HttpError(409, `${node.name} is not running; restart it with POST /nodes/${node.name}/restart`);
      faults.forget("node-freeze", node.name);
      await node.kill();
      const fault = faults.add("node-kill", node.name, {}, ttl, async (reason) => {
        // On shutdown the supervisor stops everything anyway; starting it again would be waste.
        if (reason !== "shutdown" && !node.running) node.start();
      });
      return ok({ node: node.name, action, running: false, fault } satisfies NodeActionAnswer);
    }
    case "freeze": {
      if (!node.running) throw new HttpError(409, `${node.name} is not running, so it cannot be frozen`);
      await node.freeze();
      const fault = faults.add("node-freeze", node.name, {}, ttl, async () => {
        if (node.frozen) await node.thaw();
      });
      return ok({ node: node.name, action, frozen: true, pid: node.pid, fault } satisfies NodeActionAnswer);
    }
    case "thaw":
      if (!(await faults.remove("node-freeze", node.name))) await node.thaw();
      return ok({ node: node.name, action, frozen: false, pid: node.pid } satisfies NodeActionAnswer);
    case "restart":
      faults.forget("node-kill", node.name);
      faults.forget("node-freeze", node.name);
      await node.restart();
      return ok({ node: node.name, action, running: node.running, pid: node.pid } satisfies NodeActionAnswer);
  }
}

/** The node and process routes. */
export function nodeRoutes(deps: ControlDeps): ControlRoute[] {
  return NODE_ACTIONS.flatMap((action): ControlRoute[] => [
    {
      method: "POST",
      pattern: `/nodes/:name/${action}`,
      handler: async (params, body) => act(deps, byName(deps, params.name), action, validate(TtlBody, body).ttlSeconds),
    },
    {
      method: "POST",
      pattern: `/processes/${action}`,
      handler: async (_params, body) => {
        const { pid, ttlSeconds } = validate(PidBody, body);
        return act(deps, byPid(deps, pid), action, ttlSeconds);
      },
    },
  ]);
}

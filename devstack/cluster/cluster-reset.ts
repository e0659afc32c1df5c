/**
 * Reset for the cluster: undo every fault, turn misbehaving layers back, thaw frozen nodes, start
 * dead ones, wait for the cluster to be ok, give each shard back the master `up` made (a
 * failover is undone by a coordinated CLUSTER FAILOVER on the node created master), remove the
 * filler, and answer only once the cluster is ok and every layer reports ok.
 */
import type { ClusterResetAnswer } from "../../lib/contract/cluster-control-answers";
import type { FaultBook } from "../control/fault-book";
import { waitForLayersOk } from "../control/reset";
import type { ClusterControlContext } from "./cluster-control";
import { restoreCreatedMasters } from "./cluster-failover";
import { removeClusterFiller } from "./cluster-filler";
import { waitForClusterOk, type ClusterTarget } from "./cluster-health";

const RESET_TIMEOUT_MS = 60_000;

/** What POST /reset answers (the contract's ClusterResetAnswer). */
export type ClusterResetReport = ClusterResetAnswer;

export function targetOf(ctx: Pick<ClusterControlContext, "nodes" | "password">): ClusterTarget {
  return { password: ctx.password, nodes: ctx.nodes.map((n) => ({ name: n.process.name, port: n.process.port, frozen: n.process.frozen })) };
}

export async function resetCluster(ctx: ClusterControlContext, faults: FaultBook): Promise<ClusterResetReport> {
  const started = Date.now();
  // Named before the faults are undone, since undoing a kill or freeze already revives the process.
  const thawed = ctx.nodes.filter((n) => n.process.frozen).map((n) => n.process.name);
  const revived = ctx.nodes.filter((n) => !n.process.running).map((n) => n.process.name);
  const behaving = ctx.layers.filter((l) => l.def.misbehave.on).map((l) => l.id);
  const undone = (await faults.clear("reset")).map((f) => `${f.kind}:${f.target}`);
  for (const layer of ctx.layers) {
    layer.unhang();
    layer.behave();
  }
  for (const { process: p } of ctx.nodes) {
    if (p.frozen) await p.thaw();
    if (!p.running) p.start();
  }
  const deadline = started + RESET_TIMEOUT_MS;
  let health = await waitForClusterOk(targetOf(ctx), deadline - Date.now());
  const createdMasters = ctx
    .state()
    .nodes.filter((n) => n.createdRole === "master")
    .map((n) => n.name);
  const processes = ctx.nodes.map((n) => n.process);
  const rolesRestored = await restoreCreatedMasters(processes, createdMasters, ctx.password);
  if (rolesRestored.length) health = await waitForClusterOk(targetOf(ctx), Math.max(1000, deadline - Date.now()));
  const fillerRemoved = await removeClusterFiller(processes, ctx.password);
  await waitForLayersOk(ctx.layers, "the cluster");
  const created = new Map(ctx.state().nodes.map((n) => [n.name, n.createdRole]));
  const rolesChanged = health.nodes
    .filter((v) => v.myself && v.myself.role !== created.get(v.name))
    .map((v) => ({ node: v.name, createdRole: created.get(v.name) ?? null, role: v.myself!.role }));
  ctx.log(
    `cluster: reset healthy in ${Date.now() - started} ms; masters ${health.masters.map((m) => `${m.node} ${m.slots}`).join(", ")}` +
      (rolesRestored.length ? `; masters as created again: ${rolesRestored.join(", ")}` : ""),
  );
  return {
    healthy: true,
    tookMs: Date.now() - started,
    undone,
    thawed,
    started: revived,
    behaving,
    rolesRestored,
    fillerRemoved,
    masters: health.masters,
    rolesChanged,
  };
}

/**
 * Reset for the cluster: undo every fault, thaw frozen nodes, start dead ones, and answer only
 * once the cluster is ok again. A failover is not undone: a returned master becomes a replica of
 * the node that took its slots, as Redis Cluster leaves it, and the answer says who serves what now.
 */
import type { FaultBook } from "../control/fault-book";
import type { ClusterControlContext } from "./cluster-control";
import { waitForClusterOk, type ClusterHealth, type ClusterTarget } from "./cluster-health";

const RESET_TIMEOUT_MS = 60_000;

export interface ClusterResetReport {
  healthy: true;
  tookMs: number;
  undone: string[];
  thawed: string[];
  started: string[];
  /** Who serves which slots after the reset. */
  masters: ClusterHealth["masters"];
  /** Nodes whose live role differs from the one they were created with (a failover happened). */
  rolesChanged: { node: string; createdRole: string | null; role: string }[];
}

export function targetOf(ctx: Pick<ClusterControlContext, "nodes" | "password">): ClusterTarget {
  return { password: ctx.password, nodes: ctx.nodes.map((n) => ({ name: n.process.name, port: n.process.port, frozen: n.process.frozen })) };
}

export async function resetCluster(ctx: ClusterControlContext, faults: FaultBook): Promise<ClusterResetReport> {
  const started = Date.now();
  // Named before the faults are undone, since undoing a kill or freeze already revives the process.
  const thawed = ctx.nodes.filter((n) => n.process.frozen).map((n) => n.process.name);
  const revived = ctx.nodes.filter((n) => !n.process.running).map((n) => n.process.name);
  const undone = (await faults.clear("reset")).map((f) => `${f.kind}:${f.target}`);
  for (const { process: p } of ctx.nodes) {
    if (p.frozen) p.thaw();
    if (!p.running) p.start();
  }
  const health = await waitForClusterOk(targetOf(ctx), RESET_TIMEOUT_MS);
  const created = new Map(ctx.state().nodes.map((n) => [n.name, n.createdRole]));
  const rolesChanged = health.nodes
    .filter((v) => v.myself && v.myself.role !== created.get(v.name))
    .map((v) => ({ node: v.name, createdRole: created.get(v.name) ?? null, role: v.myself!.role }));
  ctx.log(`cluster: reset healthy in ${Date.now() - started} ms; masters ${health.masters.map((m) => `${m.node} ${m.slots}`).join(", ")}`);
  return { healthy: true, tookMs: Date.now() - started, undone, thawed, started: revived, masters: health.masters, rolesChanged };
}

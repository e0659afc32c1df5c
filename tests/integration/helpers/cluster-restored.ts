/**
 * Whether a cluster sandbox is back as created, read straight from its nodes and its control
 * API (not through the console): every node in its created role (a replica of its created
 * master), no fault active, no filler or integrity key on any node.
 */
import { withRedis } from "../../../devstack/redis-client";
import { ClusterControlClient } from "../../../lib/contract/cluster-control-client";
import type { ClusterState } from "../../../lib/contract/cluster-state";
import { FILLER_PREFIX, INTEGRITY_PREFIX } from "../../../lib/contract/failure-contract";
import { parseClusterNodes } from "../../../lib/contract/cluster-info";

/** The control API's answer (any status), with the sandbox's bearer token. */
export function clusterControl(state: ClusterState, method: string, route: string, body?: unknown, timeoutMs = 60_000): Promise<{ status: number; body: any }> {
  return ClusterControlClient.forState(state).request(method, route, body, { timeoutMs });
}

async function countKeys(port: number, password: string, prefix: string): Promise<number> {
  return withRedis({ port, password, timeoutMs: 2000 }, async (r) => {
    let cursor = "0";
    let n = 0;
    do {
      const [next, keys] = await r.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      cursor = next;
      n += keys.length;
    } while (cursor !== "0");
    return n;
  });
}

/** What is not as created; empty when restored. */
export async function clusterNotRestored(state: ClusterState): Promise<string[]> {
  const problems: string[] = [];
  const byPort = new Map(state.nodes.map((n) => [n.port, n.name]));
  for (const n of state.nodes) {
    const view = parseClusterNodes(String(await withRedis({ port: n.port, password: state.password, timeoutMs: 2000 }, (r) => r.call("CLUSTER", "NODES"))));
    const me = view.find((e) => e.myself)!;
    const master = me.masterId ? byPort.get(view.find((e) => e.id === me.masterId)?.port ?? 0) : null;
    if (me.role !== n.createdRole) problems.push(`${n.name} is ${me.role}, created ${n.createdRole}`);
    else if (n.createdRole === "replica" && master !== n.createdReplicaOf) problems.push(`${n.name} replicates ${master}, created of ${n.createdReplicaOf}`);
    for (const prefix of [FILLER_PREFIX, INTEGRITY_PREFIX]) {
      const left = await countKeys(n.port, state.password, prefix);
      if (left) problems.push(`${n.name} holds ${left} ${prefix}* keys`);
    }
  }
  const faults = (await clusterControl(state, "GET", "/faults")).body.faults as { kind: string; target: string }[];
  if (faults.length) problems.push(`faults active: ${faults.map((f) => `${f.kind}:${f.target}`).join(", ")}`);
  return problems;
}

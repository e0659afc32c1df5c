/** `stack status --cluster` and the control API's GET /status: each node's live role as CLUSTER NODES says, no secrets. */
import { isAlive } from "../state";
import { checkCluster, type ClusterHealth } from "./cluster-health";
import { formatSlots } from "../../lib/contract/cluster-info";
import type { ClusterState } from "./state";
import type { ClusterNodeStatus, ClusterPublicStatus } from "../../lib/contract/cluster-control-answers";

// The shape is the contract with the typed client (lib/contract/cluster-control-answers.ts).
export type { ClusterNodeStatus, ClusterPublicStatus } from "../../lib/contract/cluster-control-answers";

/** The secret-free description of the cluster (pure over a health check, so it is unit-tested). */
export function describeCluster(state: ClusterState, health: ClusterHealth, alive: (pid: number | null) => boolean): ClusterPublicStatus {
  const nodes = state.nodes.map((n): ClusterNodeStatus => {
    const v = health.nodes.find((x) => x.name === n.name);
    const me = v?.myself ?? null;
    const pid = alive(n.pid) ? n.pid : null;
    const role: ClusterNodeStatus["role"] = n.frozen ? "frozen" : !pid ? "down" : !me ? "unreachable" : me.role;
    return {
      name: n.name,
      host: state.host,
      port: n.port,
      busPort: n.busPort,
      pid,
      frozen: !!n.frozen,
      id: me?.id ?? n.id,
      role,
      masterId: me?.masterId ?? null,
      master: me?.masterId ? (health.names[me.masterId] ?? null) : null,
      slots: me ? formatSlots(me.slots) : "",
      clusterState: v?.info?.state ?? null,
      linkUp: v?.linkUp ?? null,
      createdRole: n.createdRole,
      createdReplicaOf: n.createdReplicaOf,
    };
  });
  const answering = health.nodes.filter((v) => v.info);
  const first = answering[0]?.info;
  const state_ = !answering.length ? "unreachable" : answering.every((v) => v.info!.state === "ok") ? "ok" : "fail";
  return {
    kind: "redis-cluster",
    clusterId: state.clusterId,
    running: alive(state.supervisorPid),
    ready: state.ready,
    dir: state.dir,
    basePort: state.basePort,
    supervisorPid: state.supervisorPid,
    nodeTimeoutMs: state.nodeTimeoutMs,
    control: state.control ? { url: state.control.url } : null,
    layers: state.layers,
    cluster: {
      state: state_,
      slots: { assigned: first?.slotsAssigned ?? 0, ok: first?.slotsOk ?? 0, pfail: first?.slotsPfail ?? 0, fail: first?.slotsFail ?? 0 },
      healthy: health.healthy,
      problems: health.problems,
    },
    masters: health.masters,
    nodes,
  };
}

export async function clusterStatus(state: ClusterState): Promise<ClusterPublicStatus> {
  const health = await checkCluster({
    password: state.password,
    nodes: state.nodes.map((n) => ({ name: n.name, port: n.port, frozen: !!n.frozen })),
    timeoutMs: 500,
  });
  return describeCluster(state, health, (pid) => isAlive(pid));
}

export function formatClusterStatus(s: ClusterPublicStatus): string {
  const lines = [
    `cluster ${s.clusterId} ${s.running ? (s.ready ? "running" : "starting") : "NOT RUNNING (stale state)"} · cluster_state:${s.cluster.state} · ` +
      `slots ${s.cluster.slots.ok}/${s.cluster.slots.assigned} ok (pfail ${s.cluster.slots.pfail}, fail ${s.cluster.slots.fail})`,
    ...s.nodes.map(
      (n) =>
        `  ${n.name.padEnd(7)} 127.0.0.1:${n.port}  ${n.role.padEnd(11)} ${n.role === "replica" ? `of ${n.master ?? n.masterId}` : n.slots ? `slots ${n.slots}` : ""}`.trimEnd() +
        (n.pid ? `  pid ${n.pid}` : ""),
    ),
    ...s.layers.map((l) => `  layer ${l.id.padEnd(3)} ${l.url}`),
    ...(s.control ? [`  control API ${s.control.url}`] : []),
    ...s.cluster.problems.map((p) => `  problem: ${p}`),
  ];
  return lines.join("\n");
}

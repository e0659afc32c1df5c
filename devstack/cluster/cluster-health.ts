/**
 * Is the cluster healthy? Every node answers and reports cluster_state:ok with all 16384 slots
 * ok, nobody sees a node failing, three masters each with a replica whose link is up. One check
 * per node, each bounded: a frozen node makes the check fail fast, never hang.
 */
import { infoFields } from "../../lib/contract/info-fields";
import { withRedis } from "../redis-client";
import { sleep } from "../timeouts";
import { parseClusterInfo, parseClusterNodes, formatSlots, type ClusterInfo, type ClusterNodeEntry } from "../../lib/contract/cluster-info";
import { CLUSTER_SLOTS } from "./cluster-settings";

export interface ClusterTarget {
  password: string;
  /** A frozen node is not asked (it would only time out); it counts as not answering. */
  nodes: { name: string; port: number; frozen?: boolean }[];
  /** Per node call; default 1000 ms. */
  timeoutMs?: number;
}

export interface NodeView {
  name: string;
  port: number;
  answering: boolean;
  error: string | null;
  info: ClusterInfo | null;
  /** The node's own line of CLUSTER NODES. */
  myself: ClusterNodeEntry | null;
  /** Every line of its CLUSTER NODES. */
  view: ClusterNodeEntry[];
  /** A replica's link to its master (INFO replication); null for a master or a node that does not answer. */
  linkUp: boolean | null;
}

export interface ClusterHealth {
  healthy: boolean;
  problems: string[];
  nodes: NodeView[];
  /** Node id → sandbox name, from any node's view (a dead node is known by its port). */
  names: Record<string, string>;
  /** Who serves which slots, as the first answering node sees it. */
  masters: { node: string; slots: string; slotCount: number }[];
}

async function viewOf(t: ClusterTarget, n: ClusterTarget["nodes"][number]): Promise<NodeView> {
  const down = (error: string): NodeView => ({ name: n.name, port: n.port, answering: false, error, info: null, myself: null, view: [], linkUp: null });
  if (n.frozen) return down("frozen (SIGSTOP)");
  try {
    return await withRedis({ port: n.port, password: t.password, timeoutMs: t.timeoutMs ?? 1000 }, async (r) => {
      const info = parseClusterInfo(String(await r.call("CLUSTER", "INFO")));
      const view = parseClusterNodes(String(await r.call("CLUSTER", "NODES")));
      const myself = view.find((e) => e.myself) ?? null;
      let linkUp: boolean | null = null;
      if (myself?.role === "replica") linkUp = infoFields(await r.info("replication")).master_link_status === "up";
      return { name: n.name, port: n.port, answering: true, error: null, info, myself, view, linkUp };
    });
  } catch (err) {
    return down((err as Error).message);
  }
}

/** The problems with a set of node views (pure, so the judgement is unit-tested). */
export function judgeCluster(nodes: NodeView[], names: Record<string, string>, expectMasters: number): string[] {
  const problems: string[] = [];
  const nameOf = (id: string | null) => (id ? (names[id] ?? id.slice(0, 8)) : "?");
  for (const n of nodes) {
    if (!n.answering || !n.info) {
      problems.push(`${n.name} (port ${n.port}) does not answer: ${n.error ?? "no reply"}`);
      continue;
    }
    const i = n.info;
    if (i.state !== "ok") problems.push(`${n.name}: cluster_state:${i.state}`);
    if (i.slotsAssigned !== CLUSTER_SLOTS) problems.push(`${n.name}: cluster_slots_assigned:${i.slotsAssigned} of ${CLUSTER_SLOTS}`);
    else if (i.slotsOk !== CLUSTER_SLOTS) problems.push(`${n.name}: cluster_slots_ok:${i.slotsOk} (pfail ${i.slotsPfail}, fail ${i.slotsFail})`);
    const failing = n.view.filter((e) => e.failing);
    if (failing.length) problems.push(`${n.name} sees ${failing.map((e) => `${nameOf(e.id)} as ${e.failing}`).join(", ")}`);
    if (n.myself?.role === "replica" && n.linkUp === false) problems.push(`${n.name}: replica link to ${nameOf(n.myself.masterId)} is down`);
  }
  const live = nodes.filter((n) => n.myself);
  const masters = live.filter((n) => n.myself!.role === "master" && n.myself!.slots.length);
  if (live.length === nodes.length) {
    if (masters.length !== expectMasters) problems.push(`expected ${expectMasters} masters serving slots, found ${masters.length}`);
    for (const m of masters) {
      if (!live.some((n) => n.myself!.role === "replica" && n.myself!.masterId === m.myself!.id)) problems.push(`master ${m.name} has no replica`);
    }
    const empty = live.filter((n) => n.myself!.role === "master" && !n.myself!.slots.length);
    for (const e of empty) problems.push(`${e.name} is a master without slots (a returned node not yet turned into a replica)`);
  }
  return problems;
}

/** Node id → sandbox name: every node's view, matched by port. */
export function namesById(nodes: { name: string; port: number }[], views: NodeView[]): Record<string, string> {
  const byPort = new Map(nodes.map((n) => [n.port, n.name]));
  const names: Record<string, string> = {};
  for (const v of views) for (const e of v.view) if (byPort.has(e.port)) names[e.id] = byPort.get(e.port)!;
  return names;
}

export async function checkCluster(t: ClusterTarget, expectMasters = 3): Promise<ClusterHealth> {
  const nodes = await Promise.all(t.nodes.map((n) => viewOf(t, n)));
  const names = namesById(t.nodes, nodes);
  const problems = judgeCluster(nodes, names, expectMasters);
  const first = nodes.find((n) => n.answering && n.view.length);
  const masters = (first?.view ?? [])
    .filter((e) => e.role === "master" && e.slots.length && !e.failing)
    .map((e) => ({ node: names[e.id] ?? e.id, slots: formatSlots(e.slots), slotCount: e.slots.reduce((s, [a, b]) => s + b - a + 1, 0) }))
    .sort((a, b) => a.node.localeCompare(b.node));
  return { healthy: problems.length === 0, problems, nodes, names, masters };
}

/** Polls until healthy or the deadline passes; then throws naming what is still missing. */
export async function waitForClusterOk(t: ClusterTarget, timeoutMs: number, expectMasters = 3): Promise<ClusterHealth> {
  const deadline = Date.now() + timeoutMs;
  let last: ClusterHealth | null = null;
  while (Date.now() < deadline) {
    last = await checkCluster(t, expectMasters);
    if (last.healthy) return last;
    await sleep(250);
  }
  throw new Error(`cluster not ok after ${timeoutMs} ms: ${last?.problems.join("; ") ?? "no check ran"}`);
}

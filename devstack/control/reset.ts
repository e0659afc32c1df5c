/**
 * Reset, after Toxiproxy's: undo every fault, thaw and restart processes, drop filler keys, stop
 * workloads — and answer only once the topology is healthy (one master, replica in sync, every
 * sentinel's CKQUORUM OK and agreeing) and every layer reports ok. A killed old master needs
 * 10-20 s before Sentinel turns it into a replica; reset waits for that too.
 */
import type { ResetReport } from "../../lib/contract/control-answers";
import { waitForHealthy, type TopologyTarget } from "../topology/health";
import { sleep } from "../timeouts";
import type { ControlDeps } from "./control-deps";
import { removeFiller } from "./memory-filler";
import { restoreAddressing } from "./routes-addressing";

const TOPOLOGY_TIMEOUT_MS = 60_000;
const LAYERS_TIMEOUT_MS = 10_000;

/** The topology as health.ts wants it. */
export function topologyTarget(deps: ControlDeps): TopologyTarget {
  const { ctx } = deps;
  return {
    auth: ctx.auth.devstack,
    sentinelAuth: ctx.auth.sentinel,
    masterName: ctx.settings.masterName,
    nodes: ctx.topology.nodes.map((n) => ({ name: n.name, port: n.port })),
    sentinels: ctx.topology.sentinels.map((n) => ({ name: n.name, port: n.port })),
  };
}

async function layerHealthOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
    return res.status === 200 && ((await res.json()) as { status?: string }).status === "ok";
  } catch {
    return false;
  }
}

/** Waits (bounded) until every layer's /health says ok; throws naming those that do not, after `what` is healthy. */
export async function waitForLayersOk(layers: { id: string; url: string }[], what: string, timeoutMs = LAYERS_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let notOk: string[] = layers.map((l) => l.id);
  while (notOk.length && Date.now() < deadline) {
    const checks = await Promise.all(layers.map(async (l) => ((await layerHealthOk(l.url)) ? null : l.id)));
    notOk = checks.filter((id): id is NonNullable<typeof id> => id !== null);
    if (notOk.length) await sleep(200);
  }
  if (notOk.length) throw new Error(`${what} is healthy but layers ${notOk.join(", ")} do not report ok after ${timeoutMs} ms`);
}

/** Brings the sandbox back to healthy; throws with the remaining problems if it cannot in time. */
export async function resetStack(deps: ControlDeps): Promise<ResetReport> {
  const started = Date.now();
  deps.traffic.stop();
  await deps.integrity.stop();
  // Named before the faults are undone, since undoing a kill or freeze already revives the process.
  const thawed = deps.ctx.topology.all.filter((p) => p.frozen).map((p) => p.name);
  const revived = deps.ctx.topology.all.filter((p) => !p.running).map((p) => p.name);
  const undone = (await deps.faults.clear("reset")).map((f) => `${f.kind}:${f.target}`);
  deps.proxy.clearFaults();
  for (const layer of deps.layers) {
    layer.unhang();
    layer.behave();
  }
  for (const p of deps.ctx.topology.all) {
    if (p.frozen) await p.thaw();
    if (!p.running) p.start();
  }
  const health = await waitForHealthy(topologyTarget(deps), TOPOLOGY_TIMEOUT_MS);
  // The proxy must point where the sentinels now agree the master is.
  const deadline = Date.now() + 5000;
  while ((await deps.watch.refresh())?.port !== health.masterPort && Date.now() < deadline) await sleep(200);
  // A pinned address (the sandbox's default, or one a run left) is taken again from the master of now.
  restoreAddressing(deps);
  const fillerRemoved = await removeFiller(health.masterPort!, deps.ctx.auth.devstack);
  await waitForLayersOk(deps.layers, "topology");
  return { tookMs: Date.now() - started, undone, thawed, started: revived, fillerRemoved, master: `127.0.0.1:${health.masterPort}` };
}

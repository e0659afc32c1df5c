/**
 * The cluster sandbox's supervisor: a detached process that owns the six nodes. It writes fresh
 * configs, starts the nodes, creates the cluster, waits for cluster_state:ok, starts the layer
 * stand-ins and the control API, keeps the state file true, and stops everything on SIGTERM/SIGINT.
 */
import crypto from "node:crypto";
import type { StackService } from "../context";
import { startClusterControl } from "./cluster-control";
import type { ClusterHealth } from "./cluster-health";
import { layerStates, startClusterLayers } from "./cluster-layers";
import { clusterControlPort, type ClusterSettings } from "./cluster-settings";
import { createCluster, nodeStates, prepareClusterNodes } from "./cluster-topology";
import { removeClusterState, writeClusterState, type ClusterState } from "./state";

const settings = JSON.parse(process.env.DEVSTACK_CLUSTER_SETTINGS_JSON ?? "null") as ClusterSettings | null;
if (!settings) {
  console.error("cluster supervisor: DEVSTACK_CLUSTER_SETTINGS_JSON is missing; start it with `npm run stack -- up --cluster`");
  process.exit(2);
}

function log(message: string): void {
  process.stdout.write(`${new Date().toISOString()} ${message}\n`);
}

const password = crypto.randomBytes(24).toString("hex");
const controlToken = crypto.randomBytes(24).toString("hex");
const nodes = prepareClusterNodes(settings, password);
let created: ClusterHealth | null = null;
let state: ClusterState = {
  kind: "redis-cluster",
  clusterId: crypto.randomBytes(8).toString("hex"),
  dir: settings.dir,
  host: "127.0.0.1",
  basePort: settings.basePort,
  password,
  controlToken,
  supervisorPid: process.pid,
  startedAt: new Date().toISOString(),
  ready: false,
  nodes: [],
  layers: [],
  control: null,
  nodeTimeoutMs: settings.nodeTimeoutMs,
};
const services: StackService[] = [];

function persist(): void {
  state = { ...state, nodes: nodeStates(nodes, created) };
  writeClusterState(state);
}

let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    log("cluster supervisor: stopping");
    for (const s of [...services].reverse()) await s.stop().catch((e) => log(`stop ${s.name}: ${e}`));
    await Promise.all(nodes.map((n) => n.process.stop(3000)));
    removeClusterState(settings!.dir);
    log("cluster supervisor: stopped");
  }
  process.exit(code);
}
process.on("SIGTERM", () => void shutdown(0));
process.on("SIGINT", () => void shutdown(0));
process.on("uncaughtException", (err) => {
  log(`cluster supervisor: uncaught ${err.stack ?? err}`);
  void shutdown(1);
});
process.on("unhandledRejection", (err) => log(`cluster supervisor: unhandled rejection ${String(err)}`));

async function main(): Promise<void> {
  for (const n of nodes) n.process.onChange = () => !stopping && persist();
  for (const n of nodes) n.process.start();
  persist();
  created = await createCluster(nodes, password, settings!.dir, log);
  log(`cluster supervisor: cluster ok; masters ${created.masters.map((m) => `${m.node} ${m.slots}`).join(", ")}`);
  const layers = await startClusterLayers(settings!, nodes, password, log);
  services.push({ name: "cluster-layers", stop: async () => void (await Promise.all(layers.map((l) => l.close()))) });
  state = { ...state, layers: layerStates(layers) };
  persist();
  log(`cluster supervisor: layers ${layers.map((l) => `${l.id} ${l.url}`).join(", ")}`);
  const port = clusterControlPort(settings!.basePort);
  const control = await startClusterControl({ nodes, layers, password, controlToken, state: () => state, log }, port);
  services.push(control);
  state = { ...state, control: { port, url: control.url }, ready: true };
  persist();
  log("cluster supervisor: ready");
}

main().catch((err) => {
  log(`cluster supervisor: start failed: ${(err as Error).message}`);
  void shutdown(1);
});

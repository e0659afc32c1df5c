/**
 * The cluster sandbox's supervisor: a detached process that owns the six nodes. It writes fresh
 * configs, starts the nodes, creates the cluster, waits for cluster_state:ok, starts the layer
 * stand-ins and the control API, keeps the state file true, and stops everything on SIGTERM/SIGINT.
 */
import crypto from "node:crypto";
import { newSecret, supervise, supervisorLog as log, supervisorSettings } from "../sandbox/supervision";
import { startClusterControl } from "./cluster-control";
import type { ClusterHealth } from "./cluster-health";
import { layerStates, startClusterLayers } from "./cluster-layers";
import { clusterControlPort, type ClusterSettings } from "./cluster-settings";
import { createCluster, nodeStates, prepareClusterNodes } from "./cluster-topology";
import { removeClusterState, writeClusterState, type ClusterState } from "./state";

const settings = supervisorSettings<ClusterSettings>("cluster supervisor", "DEVSTACK_CLUSTER_SETTINGS_JSON", "npm run stack -- up --cluster");
const password = newSecret();
const controlToken = newSecret();
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

function persist(): void {
  state = { ...state, nodes: nodeStates(nodes, created) };
  writeClusterState(state);
}

supervise({
  name: "cluster supervisor",
  log,
  stopProcesses: async () => void (await Promise.all(nodes.map((n) => n.process.stop(3000)))),
  removeState: () => removeClusterState(settings.dir),
  async start(supervision) {
    for (const n of nodes) n.process.onChange = () => !supervision.stopping && persist();
    for (const n of nodes) n.process.start();
    persist();
    created = await createCluster(nodes, password, settings.dir, log);
    log(`cluster supervisor: cluster ok; masters ${created.masters.map((m) => `${m.node} ${m.slots}`).join(", ")}`);
    const layers = await startClusterLayers(settings, nodes, password, log);
    supervision.services.push({ name: "cluster-layers", stop: async () => void (await Promise.all(layers.map((l) => l.close()))) });
    state = { ...state, layers: layerStates(layers) };
    persist();
    log(`cluster supervisor: layers ${layers.map((l) => `${l.id} ${l.url}`).join(", ")}`);
    const port = clusterControlPort(settings.basePort);
    const control = await startClusterControl({ nodes, layers, password, controlToken, state: () => state, log }, port);
    supervision.services.push(control);
    state = { ...state, control: { port, url: control.url }, ready: true };
    persist();
    log("cluster supervisor: ready");
  },
});

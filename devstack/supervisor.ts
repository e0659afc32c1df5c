/**
 * The devstack supervisor: a detached process that owns the sandbox. It starts the Redis
 * topology, waits until it is healthy, starts the services around it, keeps the state file
 * true, and tears everything down on SIGTERM/SIGINT.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { StackContext } from "./context";
import { newSecret, supervise, supervisorLog as log, supervisorSettings } from "./sandbox/supervision";
import { startServices } from "./services";
import type { StackSettings } from "./settings";
import { removeState, writeState, type StackState } from "./state";
import { waitForHealthy } from "./topology/health";
import { prepareSecurity } from "./topology/sandbox-security";
import { prepareTopology } from "./topology/topology";

const settings = supervisorSettings<StackSettings>("supervisor", "DEVSTACK_SETTINGS_JSON", "npm run stack -- up");
const password = newSecret();
const controlToken = newSecret();
fs.mkdirSync(settings.dir, { recursive: true, mode: 0o700 });
// With --tls / --acl: certificates in <dir>/tls and one ACL user per kind of client.
const security = prepareSecurity(settings, password);
const topology = prepareTopology(settings, password, security);
let state: StackState = {
  stackId: crypto.randomBytes(8).toString("hex"),
  dir: settings.dir,
  host: "127.0.0.1",
  basePort: settings.basePort,
  masterName: settings.masterName,
  password,
  ...(security.users ? { username: security.users.devstack.username } : {}),
  tls: security.tls ? { ca: security.tls.ca } : null,
  console: security.users ? { ...security.users.console } : null,
  controlToken,
  supervisorPid: process.pid,
  startedAt: new Date().toISOString(),
  ready: false,
  nodes: [],
  sentinels: [],
  proxy: null,
  control: null,
  layers: [],
  settings,
};

const ctx: StackContext = {
  settings,
  password,
  auth: security.auth,
  secrets: [password, ...(security.users ? [security.users.layers.password, security.users.console.password] : [])],
  controlToken,
  topology,
  log,
  state: () => state,
  persist() {
    state = { ...state, nodes: topology.nodes.map((p) => p.toState()), sentinels: topology.sentinels.map((p) => p.toState()) };
    writeState(state);
  },
};

supervise({
  name: "supervisor",
  log,
  stopProcesses: async () => void (await Promise.all(topology.all.map((p) => p.stop(3000)))),
  removeState: () => removeState(settings.dir),
  async start(supervision) {
    for (const p of topology.all) p.onChange = () => !supervision.stopping && ctx.persist();
    const target = {
      auth: security.auth.devstack,
      sentinelAuth: security.auth.sentinel,
      masterName: settings.masterName,
      nodes: topology.nodes.map((n) => ({ name: n.name, port: n.port })),
      sentinels: topology.sentinels.map((n) => ({ name: n.name, port: n.port })),
    };
    // Sentinels start once the replica is in sync: a sentinel learns replicas from the master's
    // INFO, which it asks at once on connecting and then only every 10 s. Started together, a
    // sentinel could miss the replica for 10 s and refuse a failover ("no good slave").
    for (const p of topology.nodes) p.start();
    ctx.persist();
    await waitForHealthy({ ...target, sentinels: [] }, 30_000);
    for (const p of topology.sentinels) p.start();
    await waitForHealthy(target, 45_000);
    log("supervisor: topology healthy");
    const started = await startServices(ctx);
    supervision.services.push(...started.services);
    state = { ...state, proxy: started.proxy, control: started.control, layers: started.layers, ready: true };
    ctx.persist();
    log(`supervisor: ready (${path.relative(process.cwd(), settings.dir) || settings.dir})`);
  },
});

/**
 * The devstack supervisor: a detached process that owns the sandbox. It starts the Redis
 * topology, waits until it is healthy, starts the services around it, keeps the state file
 * true, and tears everything down on SIGTERM/SIGINT.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { StackContext, StackService } from "./context";
import { startServices } from "./services";
import type { StackSettings } from "./settings";
import { removeState, writeState, type StackState } from "./state";
import { waitForHealthy } from "./topology/health";
import { prepareSecurity } from "./topology/sandbox-security";
import { prepareTopology } from "./topology/topology";

const settings = JSON.parse(process.env.DEVSTACK_SETTINGS_JSON ?? "null") as StackSettings | null;
if (!settings) {
  console.error("supervisor: DEVSTACK_SETTINGS_JSON is missing; start the stack with `npm run stack -- up`");
  process.exit(2);
}

function log(message: string): void {
  process.stdout.write(`${new Date().toISOString()} ${message}\n`);
}

const password = crypto.randomBytes(24).toString("hex");
const controlToken = crypto.randomBytes(24).toString("hex");
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
const services: StackService[] = [];

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

let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    log("supervisor: stopping");
    for (const s of [...services].reverse()) await s.stop().catch((e) => log(`stop ${s.name}: ${e}`));
    await Promise.all(topology.all.map((p) => p.stop(3000)));
    removeState(settings!.dir);
    log("supervisor: stopped");
  }
  process.exit(code);
}
process.on("SIGTERM", () => void shutdown(0));
process.on("SIGINT", () => void shutdown(0));
process.on("uncaughtException", (err) => {
  log(`supervisor: uncaught ${err.stack ?? err}`);
  void shutdown(1);
});
process.on("unhandledRejection", (err) => log(`supervisor: unhandled rejection ${String(err)}`));

async function main(): Promise<void> {
  for (const p of topology.all) p.onChange = () => !stopping && ctx.persist();
  const target = {
    auth: security.auth.devstack,
    sentinelAuth: security.auth.sentinel,
    masterName: settings!.masterName,
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
  services.push(...started.services);
  state = { ...state, proxy: started.proxy, control: started.control, layers: started.layers, ready: true };
  ctx.persist();
  log(`supervisor: ready (${path.relative(process.cwd(), settings!.dir) || settings!.dir})`);
}

main().catch((err) => {
  log(`supervisor: start failed: ${(err as Error).message}`);
  void shutdown(1);
});

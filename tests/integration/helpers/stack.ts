/**
 * Starts a real devstack for one integration test file, on its own ports and dir, and
 * guarantees it is torn down. Pick a distinct basePort per file (see PORTS below).
 */
import fs from "node:fs";
import path from "node:path";
import { stackDown, stackUp } from "../../../devstack/lifecycle";
import { resolveSettings, type StackSettings } from "../../../devstack/settings";
import type { StackState } from "../../../devstack/state";

/**
 * RRC_TEST_PORT_SHIFT moves every test port (stacks, consoles, e2e) by the same amount, so two
 * checkouts can run their suites side by side on one machine. CI leaves it at 0.
 */
export const PORT_SHIFT = Number(process.env.RRC_TEST_PORT_SHIFT ?? 0);
/**
 * Linux hands out outgoing connections' local ports from this range (32768–60999 by default): a
 * test server on a port inside it fails now and then with EADDRINUSE, or a node never starts and a
 * wait times out far from the cause. A shift that lands there is refused up front.
 */
const EPHEMERAL_FROM = (() => {
  try {
    return Number(fs.readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
  } catch {
    return 32768;
  }
})();
const shifted = <T extends Record<string, number>>(ports: T): T => {
  const out = Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, v + PORT_SHIFT])) as T;
  const top = Math.max(...Object.values(out));
  if (top + 20 >= EPHEMERAL_FROM)
    throw new Error(
      `RRC_TEST_PORT_SHIFT=${PORT_SHIFT} puts test ports up to ${top + 20}, inside the kernel's ephemeral range (from ${EPHEMERAL_FROM}): pick a smaller shift`,
    );
  return out;
};

/** Base ports per test file; each stack takes 11 ports from its base. Keep them 20 apart. */
export const PORTS = shifted({
  devstackLifecycle: 17000,
  devstackClash: 17020,
  devstackStale: 17040,
  layers: 17100,
  proxy: 17120,
  control: 17140,
  workloads: 17160,
  collector: 17200,
  collectorCold: 17220,
  /** sentinel-view.test.ts: its console's own PostgreSQL at +15. */
  sentinelView: 17240,
  memory: 17260,
  chaos: 17300,
  chaosScenarios: 17320,
  chaosCli: 17340,
  e2e: 17400,
  security: 17440,
  reliability: 17460,
  /** The stack; Prometheus and redis_exporter listen at +12 and +13 (see prometheus.test.ts). */
  prometheus: 17500,
  deployments: 17520,
  viewer: 17880,
  sandboxRestart: 17640,
  chaosPowerLoss: 17680,
  /** chaos-power-loss.test.ts: two bare redis-servers (+0, +1), with and without the shim, appendfsync no. */
  powerLossShim: 17540,
  /** tls-acl.test.ts: the TLS target at +0..+4, its standalone node at +10 (not a devstack). */
  tlsAcl: 17560,
  /** tls-sandbox.test.ts: the devstack started with --tls --acl. */
  tlsSandbox: 17580,
  /** The stack; probes.test.ts's own layer servers listen at +12 to +15. */
  probes: 17760,
  misbehave: 17780,
  layerAddressing: 17800,
  layerAddressingIoredis: 17820,
  chaosPinned: 17840,
  /** chaos-console-killed.test.ts: a sandbox whose console is killed -9 mid-run. */
  chaosConsoleKilled: 17860,
  /** dev-chaos.test.ts: a plain master + replica + 3 sentinels the console did not start (+0..+4). */
  devChaos: 17900,
  /** dev-chaos-console.test.ts: the same kind of target, watched by two consoles. */
  devChaosConsole: 17920,
  /** dev-chaos-debug.test.ts: a plain target with DEBUG allowed (+0..+4), its test layer at +10. */
  devChaosDebug: 17980,
  /** dev-chaos-tls.test.ts: a TLS + ACL master + replica + 3 authenticated sentinels (+0..+4), watched by a console. */
  devChaosTls: 17960,
  incidents: 17600,
  /** exporter-dashboard.test.ts: its redis_exporter listens at +15. */
  exporterDashboard: 17620,
  /** cluster-console.test.ts: a cluster sandbox (+0..+33) watched by a console; its redis_exporter at +40. */
  clusterConsole: 18300,
  /** cluster-tls.test.ts: a TLS-only, ACL cluster of 4 nodes (+0..+3) the console did not start. */
  clusterTls: 18360,
  /** cluster-chaos.test.ts: a cluster sandbox (+0..+33) the chaos runs act on. */
  clusterChaos: 18200,
  /** cluster-layers.test.ts: a cluster sandbox (+0..+33) and its layers on cluster clients. */
  clusterLayers: 18100,
  /** too-many-masters.test.ts: a sandbox whose replica is made a second master. */
  tooManyMasters: 18740,
  /** config-from-info.test.ts: one redis-server with CONFIG renamed away (+0), not a devstack. */
  configFromInfo: 18760,
  /** fleet.test.ts: a sandbox (+0..+10) and plain nodes of the other deployments (+12..). */
  fleet: 18780,
  /** store.test.ts: its own PostgreSQL at +0 (no devstack). */
  store: 18500,
  /** store-import.test.ts: the sandbox a console imports an old data dir beside. */
  storeImport: 18520,
  /** store-outage.test.ts: the sandbox; the console's own PostgreSQL at +15. */
  storeOutage: 18540,
  /** dev-chaos-guards.test.ts: a plain target (+0..+4): a restore that fails once, the plan bounded. */
  devChaosGuards: 18800,
  /** stream-backpressure.test.ts: the sandbox whose snapshots 200 non-reading streams are sent. */
  streamBackpressure: 18820,
  /** security-claims.test.ts: a plain target (+0..+4) with keys and host names not the sandbox's. */
  securityClaims: 18840,
  /** history-ranges.test.ts: a Prometheus at +0 (no stack). */
  historyRanges: 18860,
  /** notifications.test.ts: an Alertmanager at +0, webhook receivers at +1..+3 (no stack). */
  notifications: 19260,
  /** schedules.test.ts: the sandbox two consoles share, and their PostgreSQL at +15. */
  schedules: 19280,
  /** guardrails.test.ts: the sandbox, and an Alertmanager at +0 of guardrailsAlertmanager. */
  guardrails: 19300,
  guardrailsAlertmanager: 19320,
  /** chaos-replicas.test.ts: the sandbox two consoles share, their PostgreSQL at +15. */
  chaosReplicas: 18880,
  /** replicas.test.ts: the sandbox two consoles watch; their PostgreSQL at +15. */
  replicas: 19080,
  /** standalone.test.ts: the sandbox the deployable build watches. */
  standalone: 19100,
  /** sign-in.test.ts: the test OIDC provider at +0, a provider that never answers at +1, a second provider at +2, unused Redis ports at +10.. (no devstack). */
  signIn: 18980,
  /** api-tokens.test.ts: the PostgreSQL two consoles share at +0 (no devstack). */
  apiTokens: 19000,
  /** chaos-exhaustion.test.ts: the sandbox connection-exhaustion runs on. */
  chaosExhaustion: 18680,
  /** dev-chaos-replicas.test.ts: a plain target (+0..+4) two consoles share, their PostgreSQL at +15. */
  devChaosReplicas: 18940,
  /** viewer-links.test.ts: the PostgreSQL two consoles share at +0, unused Redis ports at +10.. (no devstack). */
  viewerLinks: 18920,
  /** config-reload.test.ts: unused Redis ports at +10.. (no devstack, no PostgreSQL). */
  configReload: 19360,
  /** dev-chaos-cluster.test.ts: a cluster sandbox (+0..+33) watched as an external Redis Cluster dev stack; the PostgreSQL of its two replicas at +45. */
  devChaosCluster: 19400,
  /** replicas-live.test.ts: the sandbox two consoles watch; their PostgreSQL at +15. */
  replicasLive: 19460,
} as const);

/** HTTP ports for consoles started by integration tests, one per file. */
export const CONSOLE_PORTS = shifted({
  collector: 3201,
  collectorCold: 3202,
  sentinelView: 3203,
  memory: 3204,
  chaos: 3205,
  security: 3206,
  reliability: 3207,
  chaosScenarios: 3208,
  chaosCli: 3209,
  prometheus: 3210,
  deployments: 3211,
  securityAccess: 3240,
  securityCeiling: 3241,
  securityWeakToken: 3242,
  viewer: 3243,
  /** Two consoles: this one and +50. */
  sandboxRestart: 3224,
  chaosPowerLoss: 3223,
  tlsAcl: 3212,
  tlsAclRefused: 3213,
  tlsSandbox: 3216,
  probes: 3214,
  misbehave: 3215,
  chaosPinned: 3218,
  chaosConsoleKilled: 3230,
  /** dev-chaos-console.test.ts: two consoles on one external target. */
  devChaos: 3219,
  devChaosSecond: 3220,
  devChaosDebug: 3229,
  /** dev-chaos-tls.test.ts: one console on an external TLS + ACL target. */
  devChaosTls: 3228,
  incidents: 3226,
  exporterDashboard: 3227,
  clusterConsole: 3233,
  /** cluster-tls.test.ts: three consoles, this one, +50 and +51. */
  clusterTls: 3234,
  clusterChaos: 3232,
  tooManyMasters: 3277,
  configFromInfo: 3278,
  fleet: 3279,
  storeImport: 3250,
  storeOutage: 3251,
  devChaosGuards: 3280,
  streamBackpressure: 3281,
  securityClaims: 3282,
  historyRanges: 3283,
  proxyBodyLimit: 3284,
  schedulesA: 3320,
  schedulesB: 3321,
  guardrails: 3322,
  chaosReplicasA: 3285,
  chaosReplicasB: 3286,
  /** replicas.test.ts: two consoles on one PostgreSQL. */
  replicasA: 3305,
  replicasB: 3306,
  /** standalone.test.ts: the deployable build, started as a non-root user. */
  standalone: 3307,
  /** security-access.test.ts: a console reachable from elsewhere, and one on loopback alone. */
  accessExposed: 3290,
  accessLoopback: 3291,
  /** sign-in.test.ts: the console people sign in to, and one whose provider never answers. */
  signIn: 3292,
  signInHungIdp: 3293,
  /** api-tokens.test.ts: two consoles on one PostgreSQL. */
  apiTokens: 3294,
  apiTokensSecond: 3295,
  chaosExhaustion: 3268,
  /** dev-chaos-replicas.test.ts: two consoles on one PostgreSQL and one external target, and a third that imports an old journal. */
  devChaosReplicasA: 3296,
  devChaosReplicasB: 3297,
  devChaosReplicasC: 3298,
  /** sign-in.test.ts: a third console, whose roles are read again every 3 s (its provider at PORTS.signIn + 2). */
  signInRecheck: 3325,
  /** config-reload.test.ts: a console whose config file is edited while it runs. */
  configReload: 3326,
  /** viewer-links.test.ts: two consoles on one PostgreSQL. */
  viewerLinks: 3323,
  viewerLinksSecond: 3324,
  /** dev-chaos-cluster.test.ts: a console on an external Redis Cluster dev stack, and a second one for its journal. */
  devChaosCluster: 3327,
  devChaosClusterSecond: 3328,
  /** dev-chaos-cluster.test.ts: two consoles on one PostgreSQL. */
  devChaosClusterPgA: 3331,
  devChaosClusterPgB: 3332,
  /** cluster-tls.test.ts: the console with chaos opted in on the TLS cluster. */
  clusterTlsChaos: 3333,
  /** replicas-live.test.ts: two consoles on one PostgreSQL. */
  replicasLiveA: 3329,
  replicasLiveB: 3330,
} as const);

const repoRoot = path.resolve(__dirname, "../../..");

/** Test defaults: faster failure detection than production so failovers fit in a test. */
export function testSettings(basePort: number, extra: string[] = []): StackSettings {
  return resolveSettings(
    ["--base-port", String(basePort), "--dir", `.devstack-test-${basePort}`, "--down-after-milliseconds", "2000", ...extra],
    {} as NodeJS.ProcessEnv,
    repoRoot,
  );
}

export async function startStack(settings: StackSettings): Promise<StackState> {
  await stackDown(settings.dir);
  return stackUp(settings, 90_000);
}

export async function stopStack(settings: StackSettings): Promise<void> {
  await stackDown(settings.dir);
}

/** `p`, or an error naming `what` once `ms` pass: a set-up step that hangs says which it was. */
export function within<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Polls `check` until it returns a truthy value or the deadline passes (then throws with `what`). */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  while (Date.now() < deadline) {
    try {
      // A check that never settles (a fetch whose abort never came) must not hold the wait past its
      // deadline: a console's start once waited 75 s on a 60 s wait for its /api/health.
      const v = await within(`${what}: a check still running at the deadline`, Math.max(deadline - Date.now(), 0) + 1000, Promise.resolve(check()));
      if (v) return v;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ""}`);
}

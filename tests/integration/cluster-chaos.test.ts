/**
 * Chaos on the Redis Cluster sandbox through the console's API: the four scenarios the cluster
 * runs (one shard down, a shard's failover by kill -9 and by CLUSTER FAILOVER, memory pressure
 * on one shard, data integrity across a failover), each judged per shard, each followed by a
 * cluster restored as created (roles, no fault, no filler or integrity key); latency and
 * restart-under-load refused with the reason.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterDown } from "../../devstack/cluster/cluster-lifecycle";
import type { ChaosRun, RunCheck, ScenarioInfo } from "../../lib/chaos/types";
import { readClusterState, type ClusterState } from "../../lib/contract/cluster-state";
import { LAYER_IDS } from "../../lib/contract/failure-contract";
import { finishedRun, runScenario, startRun } from "./helpers/chaos-runs";
import { clusterNotRestored } from "./helpers/cluster-restored";
import { startConsole, type RunningConsole } from "./helpers/console";
import { CONSOLE_PORTS, PORTS, waitFor } from "./helpers/stack";

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, "../..");
const basePort = PORTS.clusterChaos;
const dirName = `.devstack-test-cluster-${basePort}`;
const dir = path.join(repoRoot, dirName);
const TOKEN = "cluster-chaos-operator-token-0123456789abcdef";
const RUN_MS = 240_000;

/** A check reached the verdict the cluster's semantics make certain, saying what was seen. */
function verdictIs(c: RunCheck | undefined, verdict: RunCheck["verdict"], what: string): RunCheck {
  expect(c, `${what}: no such check`).toBeTruthy();
  expect(c!.verdict, `${what}: ${c!.verdict} (${c!.reason ?? c!.observed})`).toBe(verdict);
  expect(c!.observed.length, what).toBeGreaterThan(0);
  return c!;
}

/**
 * A check judged either way, where the outcome is a race the run cannot fix: during a kill -9 failover cluster_state:fail
 * lasts about a second, and whether another shard's call lands in it is chance; redis-rs's ClusterConnection retries a
 * dead node with backoff, and whether a retry outlasts the layer's own call timeout depends on when the call began.
 * A refutation must then name that cause (`because`), so a refutation for any other reason still fails the test.
 */
function judged(c: RunCheck | undefined, what: string, because?: RegExp): RunCheck {
  expect(c, `${what}: no such check`).toBeTruthy();
  expect(["held", "refuted"], `${what}: ${c!.verdict} (${c!.reason ?? c!.observed})`).toContain(c!.verdict);
  expect(c!.observed.length, what).toBeGreaterThan(0);
  if (c!.verdict === "refuted" && because) expect(c!.observed, what).toMatch(because);
  return c!;
}

const shardOf = (r: ChaosRun) => String(r.metrics.shard);

async function expectRestored(r: ChaosRun, state: ClusterState): Promise<void> {
  expect(r.postflight, `${r.scenario}: ${r.error ?? ""}`).toEqual({ healthy: true, problems: [] });
  expect(r.steps.find((s) => s.name === "restore the stack")?.state).toBe("done");
  expect(await clusterNotRestored(state)).toEqual([]);
}

describe("chaos on the Redis Cluster sandbox", () => {
  let state: ClusterState;
  let app: RunningConsole;
  /** The shard the kill -9 failover test failed over (its replica won an election). */
  let killedShard = "";

  beforeAll(async () => {
    await clusterDown(dir);
    await run("npx", ["tsx", "devstack/cli.ts", "up", "--cluster", "--base-port", String(basePort), "--dir", dirName], { cwd: repoRoot, timeout: 120_000 });
    state = readClusterState(dir)!;
    app = await startConsole({
      port: CONSOLE_PORTS.clusterChaos,
      devstackDir: path.join(repoRoot, ".devstack-test-none"),
      env: { CONSOLE_SANDBOX: "cluster", DEVSTACK_CLUSTER_DIR: dir, DEVSTACK_CLUSTER_BASE_PORT: String(basePort), OPERATOR_TOKEN: TOKEN },
    });
  }, 180_000);

  afterAll(async () => {
    await app?.stop();
    await clusterDown(dir);
  });

  it("lists the cluster's scenarios with a shard to act on, and refuses latency and restart-under-load with the reason", async () => {
    const { body } = await app.get<{
      scenarios: ScenarioInfo[];
      sandbox: string;
      availability: { scenario: string; available: boolean; reason: string | null }[];
      chaosRefusal: string | null;
    }>("/api/chaos/scenarios");
    expect(body.sandbox).toBe("cluster");
    expect(body.chaosRefusal).toBeNull();
    const params = (id: string) => body.scenarios.find((s) => s.id === id)!.params;
    for (const id of ["outage", "failover", "memory-pressure", "data-integrity"])
      expect(params(id)[0]).toMatchObject({ name: "shard", default: "probe", options: ["probe", "shard-1", "shard-2", "shard-3"] });
    expect(params("failover")).toContainEqual(expect.objectContaining({ name: "mode", default: "kill", options: ["kill", "manual"] }));
    expect(params("outage")).toContainEqual(expect.objectContaining({ name: "mode", default: "kill", options: ["kill", "freeze"] }));
    for (const id of ["latency", "restart-under-load"]) {
      expect(body.availability.find((a) => a.scenario === id)).toMatchObject({ available: false, reason: expect.stringContaining("cluster sandbox") });
      const refused = await startRun(app, TOKEN, id);
      expect(refused.status).toBe(400);
      expect(String(refused.body.error)).toContain("cannot run on this sandbox");
    }
    // Written once against a capability the cluster sandbox lacks: the 400 names it.
    expect(body.availability.find((a) => a.scenario === "connection-exhaustion")).toMatchObject({
      available: false,
      reason: expect.stringContaining('lacks the "exhaust-connections" capability'),
    });
    const exhaustion = await startRun(app, TOKEN, "connection-exhaustion");
    expect(exhaustion.status).toBe(400);
    expect(String(exhaustion.body.error)).toMatch(/^connection-exhaustion cannot run on this sandbox: this target lacks the "exhaust-connections" capability/);
    expect((await startRun(app, TOKEN, "outage", { shard: "shard-9" })).status).toBe(400);
  });

  it(
    "outage: one shard down is judged per shard and per layer, recovery is timed, and the cluster is restored",
    async () => {
      // The default 10 s hold outlasts cluster-node-timeout (5 s): the shard is flagged FAIL while it is down.
      const r = await runScenario(app, TOKEN, "outage", {});
      // Failed, not aborted: the other shards' isolation is refuted below.
      expect(r.state, r.error).toBe("failed");
      const shard = shardOf(r);
      // Redis's default cluster-require-full-coverage yes: once the shard is FAIL every node stops serving, which the
      // other shards' checks must say rather than hold by default.
      expect(r.metrics.full_coverage).toBe("yes");
      expect(r.metrics.cluster_fail_s as number).toBeGreaterThan(0);
      const isolation = r.checks.filter((c) => c.claim === "shard-isolation");
      expect(
        isolation.some((c) => c.verdict === "refuted" && c.observed.includes("cluster-require-full-coverage is yes")),
        JSON.stringify(isolation),
      ).toBe(true);
      for (const layer of LAYER_IDS) {
        // APISIX's L1 fails open on every call (measured: 32/32, 40/40). The redis-rs layers keep their contract on the
        // calls that do not time out in ClusterConnection's retries (measured: L2 refuted twice, CP once, L3 never).
        const onShard = r.checks.find((c) => c.layer === layer && c.shard === shard && c.claim === "outage-contract");
        const mine = layer === "L1" ? verdictIs(onShard, "held", `L1 on ${shard}`) : judged(onShard, `${layer} on ${shard}`, /timeout/);
        expect(mine.expect).toContain(`on ${shard} (`);
        // Full coverage: once the shard is FAIL (seconds into a 10 s hold) every node refuses, every tenant fails.
        const others = verdictIs(
          r.checks.find((c) => c.layer === layer && c.shard === "other shards"),
          "refuted",
          `${layer} on the other shards`,
        );
        // The refutation says when the other shards' tenants began to fail and what the cluster said then.
        expect(others.observed).toMatch(/calls served normally; from [\d.]+ s after the fault/);
        // Recovery is timed either way (measured 1.3-2.3 s, and once 5.8 s for L2 behind a retry's backoff).
        judged(
          r.checks.find((c) => c.layer === layer && c.claim === "recovery-2-3s"),
          `${layer} recovery`,
          /normal again after [\d.]+ s/,
        );
        expect(r.metrics[`recovery_${layer}_s`] as number).toBeGreaterThan(0);
      }
      await expectRestored(r, state);
    },
    RUN_MS,
  );

  it(
    "outage with a layer told to misbehave: the breach is caught on the shard's tenants and the layer behaves again after",
    async () => {
      const r = await runScenario(app, TOKEN, "outage", { misbehave: "L1", durationSeconds: 3 });
      expect(r.state, r.error).toBe("failed");
      const shard = shardOf(r);
      expect(r.steps.find((s) => s.name === "take the shard down")?.detail).toContain("told to break the contract: L1 fail-closed");
      // L1 fails closed (500) instead of open for the tenants whose keys live on the shard that is down.
      const l1 = verdictIs(
        r.checks.find((c) => c.layer === "L1" && c.shard === shard && c.claim === "outage-contract"),
        "refuted",
        `L1 on ${shard}`,
      );
      expect(l1.observed).toContain("500");
      // Told to behave before the shard came back: L1 serves the shard's tenants normally again.
      expect(r.checks.find((c) => c.layer === "L1" && c.claim === "recovery-2-3s")?.observed).toMatch(/normal again after [\d.]+ s/);
      await expectRestored(r, state);
    },
    RUN_MS,
  );

  it(
    "an outage aborted mid-hold is restored all the same: the shard's nodes back, roles as created, no fault left",
    async () => {
      const started = await startRun(app, TOKEN, "outage", { durationSeconds: 60, mode: "freeze" });
      expect(started.status).toBe(202);
      await waitFor(
        "the outage's hold",
        async () => (await app.get<ChaosRun>(`/api/chaos/runs/${started.id}`)).body.steps.find((s) => s.name === "hold the outage")?.state === "running",
        30_000,
        100,
      );
      const abort = await fetch(`${app.url}/api/chaos/runs/${started.id}/abort`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}` },
        signal: AbortSignal.timeout(10_000),
      });
      expect(abort.status).toBe(202);
      const r = await finishedRun(app, started.id);
      expect(r.state).toBe("aborted");
      await expectRestored(r, state);
    },
    RUN_MS,
  );

  it(
    "failover by kill -9: the promotion and each layer's recovery are timed for the shard's tenants",
    async () => {
      const r = await runScenario(app, TOKEN, "failover", { mode: "kill" });
      expect(r.state, r.error).not.toBe("aborted");
      const shard = shardOf(r);
      killedShard = shard;
      verdictIs(
        r.checks.find((c) => c.claim === "cluster-failover" && c.shard === shard && !c.layer),
        "held",
        "promotion",
      );
      expect(r.metrics.promotion_s as number).toBeGreaterThan(0);
      expect(r.metrics.cluster_ok_s as number).toBeGreaterThanOrEqual(r.metrics.promotion_s as number);
      for (const layer of LAYER_IDS) {
        // The shard's tenants are served again once the replica is promoted.
        verdictIs(
          r.checks.find((c) => c.claim === "cluster-failover" && c.layer === layer),
          "held",
          `${layer} recovery`,
        );
        judged(
          r.checks.find((c) => c.claim === "shard-isolation" && c.layer === layer),
          `${layer} on the other shards`,
          /calls served normally; from [\d.]+ s after the fault/,
        );
      }
      await expectRestored(r, state);
    },
    RUN_MS,
  );

  it(
    "failover by CLUSTER FAILOVER: the replica takes over, the shard's tenants are judged throughout",
    async () => {
      // Not the shard the kill just failed over: Redis 7.0 keeps a replica's election votes for 2 x 2 x cluster-node-timeout,
      // and a CLUSTER FAILOVER within that time "wins" on the stale votes and is undone at once (seen in the nodes' logs).
      const shard = ["shard-1", "shard-2", "shard-3"].find((s) => s !== killedShard)!;
      const r = await runScenario(app, TOKEN, "failover", { mode: "manual", shard });
      expect(r.state, r.error).not.toBe("aborted");
      expect(shardOf(r)).toBe(shard);
      verdictIs(
        r.checks.find((c) => c.claim === "cluster-failover" && !c.layer),
        "held",
        "promotion",
      );
      // A manual failover hands the slots over with no call failing, here or on the other shards.
      for (const layer of LAYER_IDS) {
        verdictIs(
          r.checks.find((c) => c.claim === "cluster-failover" && c.layer === layer),
          "held",
          `${layer} during the failover`,
        );
        verdictIs(
          r.checks.find((c) => c.claim === "shard-isolation" && c.layer === layer),
          "held",
          `${layer} on the other shards`,
        );
      }
      await expectRestored(r, state);
    },
    RUN_MS,
  );

  it(
    "memory pressure on one shard: evictions there by key class, its sessions judged, the other shards judged untouched",
    async () => {
      const r = await runScenario(app, TOKEN, "memory-pressure", { durationSeconds: 3, seeds: 60 });
      expect(r.state, r.error).not.toBe("aborted");
      const shard = shardOf(r);
      const premise = verdictIs(
        r.checks.find((c) => c.shard === shard && !c.claim),
        "held",
        "the pressure",
      );
      expect(premise.observed).toMatch(/keys evicted there; gone per class: /);
      // allkeys-lru evicts any key of the shard, its sessions among them (measured: 11 of 25); the other shards evict nothing.
      verdictIs(
        r.checks.find((c) => c.claim === "sessions-preserved" && c.shard === shard),
        "refuted",
        "sessions on the shard",
      );
      verdictIs(
        r.checks.find((c) => c.claim === "shard-isolation"),
        "held",
        "the other shards",
      );
      expect(r.metrics.evicted_keys as number).toBeGreaterThan(0);
      await expectRestored(r, state);
    },
    RUN_MS,
  );

  it(
    "data integrity across a kill -9: acknowledged writes read back and the lost ones counted per shard",
    async () => {
      const r = await runScenario(app, TOKEN, "data-integrity", { mode: "kill" });
      expect(r.state, r.error).not.toBe("aborted");
      const shard = shardOf(r);
      // The replica is in sync on loopback: a kill -9 of its master loses no acknowledged write (measured: none of ~60-160).
      verdictIs(
        r.checks.find((c) => c.shard === shard && !c.claim),
        "held",
        "loss on the shard",
      );
      expect(r.checks.find((c) => c.claim === "rpo-1s")).toMatchObject({
        verdict: "not-exercised",
        reason: expect.stringContaining("asynchronous replication"),
      });
      verdictIs(
        r.checks.find((c) => c.claim === "shard-isolation"),
        "held",
        "loss on the other shards",
      );
      for (const s of ["shard-1", "shard-2", "shard-3"]) {
        expect(r.metrics[`acknowledged_${s}`] as number, s).toBeGreaterThan(0);
        expect(r.metrics[`lost_${s}`], s).toBe(0);
      }
      // The kill happened: the shard's writes were refused while its master was down, until a replica was promoted.
      expect(r.metrics[`refused_${shard}`] as number).toBeGreaterThan(0);
      expect(r.metrics.promotion_s as number).toBeGreaterThan(0);
      await expectRestored(r, state);
    },
    RUN_MS,
  );
});

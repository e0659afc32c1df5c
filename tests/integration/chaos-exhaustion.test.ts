/**
 * connection-exhaustion end to end on the Sentinel sandbox: the run holds every free client slot
 * of the master (Redis refuses a new connection meanwhile), judges each layer, releases them, and
 * leaves the master with its usual clients and every layer ok. The fault's TTL releases the
 * connections by itself when no console does (a console that died mid-run).
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChaosRun } from "../../lib/chaos/types";
import type { StackState } from "../../devstack/state";
import { withRedis } from "../../devstack/redis-client";
import { ControlClient } from "../../lib/contract/control-client";
import { LAYER_IDS } from "../../lib/contract/failure-contract";
import { checksOf, finishedRun, startRun } from "./helpers/chaos-runs";
import { startConsole, type RunningConsole } from "./helpers/console";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

const TOKEN = "chaos-exhaustion-operator-token-0123456789";

describe("connection-exhaustion on the Sentinel sandbox", () => {
  const settings = testSettings(PORTS.chaosExhaustion);
  let state: StackState;
  let app: RunningConsole;
  let sandbox: ControlClient;

  const clients = async (port: number) =>
    withRedis({ port, password: state.password, timeoutMs: 2000 }, async (r) => Number(/connected_clients:(\d+)/.exec(await r.info("clients"))![1]));
  /** What Redis answers a new connection's first command: NOAUTH when it takes it, the maxclients error when it refuses it. */
  const newConnection = (port: number) =>
    new Promise<string>((resolve, reject) => {
      const socket = net.connect({ host: "127.0.0.1", port }, () => socket.write("PING\r\n"));
      socket.setTimeout(3000, () => socket.destroy(new Error("no answer within 3 s")));
      socket.once("data", (d) => {
        socket.destroy();
        resolve(d.toString().split("\r\n")[0]);
      });
      socket.once("error", reject);
    });
  let port: number;

  beforeAll(async () => {
    state = await startStack(settings);
    sandbox = ControlClient.forState(state);
    // Read before any exhaustion: the status asks each node its role over a new connection.
    port = (await sandbox.status()).nodes.find((n) => n.role === "master")!.port;
    app = await startConsole({ port: CONSOLE_PORTS.chaosExhaustion, devstackDir: settings.dir, env: { OPERATOR_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await app?.stop();
    await stopStack(settings);
  });

  /** Runs the scenario, checks Redis refuses a new connection during its hold, and that it restores; the finished run. */
  async function exhaustAndRestore(params: Record<string, unknown>): Promise<ChaosRun> {
    const before = await clients(port);
    const started = await startRun(app, TOKEN, "connection-exhaustion", params);
    expect(started.status, JSON.stringify(started.body)).toBe(202);

    await waitFor("the hold step", async () => {
      const run = (await app.get<ChaosRun>(`/api/chaos/runs/${started.id}`)).body;
      return run.steps.find((s) => s.name === "hold while Redis refuses new connections")?.state === "running";
    });
    expect(await newConnection(port)).toBe("-ERR max number of clients reached");

    const run = await finishedRun(app, started.id);
    expect(run.postflight, run.error).toEqual({ healthy: true, problems: [] });
    expect(run.metrics.maxclients).toBe(512);
    expect(run.metrics.connections_held).toBeGreaterThan(400);
    expect(run.steps.find((s) => s.name === "exhaust the master's connections")?.detail).toMatch(
      /: 512 of maxclients 512 in use .*a new connection is refused/,
    );
    // Redis refused at least the test's own connection meanwhile.
    expect(Number(run.metrics.connections_refused)).toBeGreaterThanOrEqual(1);

    // Every layer judged with the evidence; the run passes only when each held.
    const checks = checksOf(run, "connections-exhausted");
    expect(checks.map((c) => c.layer)).toEqual([...LAYER_IDS]);
    for (const c of checks) {
      expect(c.verdict, `${c.layer}: ${c.observed}`).not.toBe("not-exercised");
      expect(c.observed).toMatch(/samples by contract/);
    }
    expect(run.state).toBe(checks.every((c) => c.verdict === "held") ? "passed" : "failed");
    console.log(
      `[measured] connection-exhaustion ${JSON.stringify(run.params)}: ${run.metrics.connections_held} held, ${run.metrics.layer_connections_dropped} layer connections dropped, ${run.metrics.connections_refused} refused; ${LAYER_IDS.map((id) => `${id} ${run.metrics[`affected_${id}`] === "yes" ? `affected, ok ${run.metrics[`recovery_${id}_s`]} s after the release` : "not affected"}`).join("; ")}`,
    );

    // Restored: the held connections are gone, a new one is served, no fault is left, every layer ok.
    expect(await newConnection(port)).toMatch(/^-NOAUTH/);
    expect(await clients(port)).toBeLessThanOrEqual(before + 5);
    expect((await sandbox.faults()).faults).toEqual([]);
    const snapshot = (await app.get<{ layers: { id: string; status: string }[] }>("/api/snapshot")).body;
    expect(snapshot.layers.map((l) => `${l.id} ${l.status}`)).toEqual(LAYER_IDS.map((id) => `${id} ok`));
    return run;
  }

  it("keep (Steadybit's attack): every free slot held, each layer judged, then the usual clients and every layer ok", async () => {
    const run = await exhaustAndRestore({ durationSeconds: 5 });
    expect(run.metrics.layer_connections_dropped).toBe(0);
  });

  it("drop: the layers must reconnect into a full Redis; L1's per-request connections meet the refusal, each layer's recovery is timed", async () => {
    const run = await exhaustAndRestore({ durationSeconds: 8, layerConnections: "drop" });
    expect(run.metrics.layer_connections_dropped).toBeGreaterThan(0);
    // APISIX takes a new connection for a request once its pooled ones are gone: refused, it must fail open or break.
    expect(run.metrics.affected_L1).toBe("yes");
    expect(checksOf(run, "connections-exhausted").find((c) => c.layer === "L1")?.observed).toMatch(/after the release|not ok within/);
  });

  it("releases the connections at the fault's TTL when no console does", async () => {
    const held = await sandbox.exhaustConnections({ headroom: 0, ttlSeconds: 3 });
    expect(held.connectedAfter).toBe(held.maxclients);
    expect(held.fault).toMatchObject({ kind: "connections-exhaust", ttlSeconds: 3 });
    expect(await newConnection(port)).toBe("-ERR max number of clients reached");
    await waitFor("the TTL to release the connections", async () => /^-NOAUTH/.test(await newConnection(port)), 15_000, 250);
    expect((await sandbox.faults()).faults).toEqual([]);
    // Nothing is held any more: a release now has nothing to close.
    expect(await sandbox.releaseConnections()).toEqual({ released: 0, refusedWhileHeld: null });
  });

  it("refuses a headroom it cannot honour with a 400 that says the bound", async () => {
    const res = await startRun(app, TOKEN, "connection-exhaustion", { headroom: 500 });
    expect(res.status).toBe(400);
    expect(String(res.body.error)).toMatch(/headroom must be at most 50/);
  });
});

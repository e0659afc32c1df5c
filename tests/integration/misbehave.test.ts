/**
 * The violation path end to end on the sandbox: each layer stand-in told to break its failure
 * contract (POST /layers/:id/misbehave), an outage, and after the grace period the violation on
 * the layer, with the evidence, a timeline event and rrc_layer_contract_violation 1; then reset
 * and recovery. Two rounds, so the layers keeping their contract are seen not to be blamed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackState } from "../../devstack/state";
import type { ChaosRun } from "../../lib/chaos/types";
import type { LayerId } from "../../lib/contract/failure-contract";
import type { LayerSnapshot, Snapshot } from "../../lib/snapshot/types";
import { control, startConsole, type RunningConsole } from "./helpers/console";
import { ALL_OK, waitForSnapshot } from "./helpers/sse";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

const TOKEN = "integration-operator-token-misbehave";

const MODES: Record<LayerId, string> = { L1: "fail-closed", L2: "hide-degradation", L3: "fail-open", CP: "lie-in-health" };
/** What the evidence must show for each mode: the failed checks' "saw" text. */
const EVIDENCE: Record<LayerId, RegExp> = {
  L1: /gateway 500/,
  L2: /health 200, status = "ok"/,
  L3: /read 404/,
  CP: /health 200, status = "ok"/,
};
const OUTAGE: Record<LayerId, string> = { L1: "degraded", L2: "degraded", L3: "unavailable", CP: "degraded" };

async function raw(state: StackState, method: string, route: string, body?: unknown) {
  const res = await fetch(state.control!.url + route, {
    method,
    headers: { authorization: `Bearer ${state.controlToken}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const layer = (s: Snapshot, id: LayerId) => s.layers.find((l) => l.id === id)!;
const metric = (text: string, id: LayerId) => text.match(new RegExp(`^rrc_layer_contract_violation\\{[^}]*layer="${id}"[^}]*\\} (\\d)`, "m"))?.[1];

describe("layers that misbehave on purpose are caught breaking their contract", () => {
  const settings = testSettings(PORTS.misbehave);
  let state: StackState;
  let app: RunningConsole;

  beforeAll(async () => {
    state = await startStack(settings);
    app = await startConsole({ port: CONSOLE_PORTS.misbehave, devstackDir: settings.dir, env: { OPERATOR_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    if (state) await control(state, "POST", "/reset").catch(() => {});
    await app?.stop();
    await stopStack(settings);
  });

  it("the control API refuses a wrong mode or layer with the reason, and DELETE undoes a mode", async () => {
    expect(await raw(state, "POST", "/layers/L1/misbehave", { mode: "fail-open" })).toMatchObject({
      status: 400,
      body: { error: expect.stringContaining('L1 misbehaves only as "fail-closed"') },
    });
    expect((await raw(state, "POST", "/layers/L9/misbehave", { mode: "fail-open" })).status).toBe(404);
    expect((await raw(state, "POST", "/layers/L3/misbehave", { mode: "fail-open", ttlSeconds: 601 })).status).toBe(400);
    const on = await raw(state, "POST", "/layers/L3/misbehave", { mode: "fail-open", ttlSeconds: 30 });
    expect(on).toMatchObject({
      status: 200,
      body: { layer: "L3", misbehaving: "fail-open", fault: { kind: "layer-misbehave", target: "L3", ttlSeconds: 30 } },
    });
    expect((await control(state, "GET", "/status")).layers.find((l: { id: string }) => l.id === "L3").misbehaving).toBe("fail-open");
    expect(await raw(state, "DELETE", "/layers/L3/misbehave")).toMatchObject({ status: 200, body: { layer: "L3", misbehaving: null } });
    expect((await control(state, "GET", "/faults")).faults).toEqual([]);
  });

  it.each([
    [
      ["L1", "L3"],
      ["L2", "CP"],
    ],
    [
      ["L2", "CP"],
      ["L1", "L3"],
    ],
  ] as [LayerId[], LayerId[]][])("%j misbehaving in an outage are violations with the evidence; %j keep their contract; reset recovers", async (bad, good) => {
    await waitForSnapshot(app.url, "a healthy start", (s) => ALL_OK(s) && s.layers.every((l) => l.agrees), 45_000);
    for (const id of bad) await control(state, "POST", `/layers/${id}/misbehave`, { mode: MODES[id], ttlSeconds: 120 });
    await control(state, "POST", "/proxy/cut", { ttlSeconds: 90 });
    let during: Snapshot;
    try {
      during = await waitForSnapshot(
        app.url,
        `violations on ${bad.join(", ")}`,
        (s) => s.redis.available === false && bad.every((id) => layer(s, id).violation) && good.every((id) => layer(s, id).status === OUTAGE[id]),
        45_000,
      );
      const metrics = (await app.get<string>("/api/metrics")).body;
      for (const id of bad) {
        const l: LayerSnapshot = layer(during, id);
        expect(l.agrees).toBe(false);
        expect(l.expected).toBe(OUTAGE[id]);
        const failed = l.checks.filter((c) => !c.ok);
        expect(failed.map((c) => c.observed).join(" | ")).toMatch(EVIDENCE[id]);
        expect(metric(metrics, id)).toBe("1");
      }
      for (const id of good) {
        expect(layer(during, id)).toMatchObject({ agrees: true, violation: false });
        expect(metric(metrics, id)).toBe("0");
      }
      const events = (await app.get<{ events: { title: string; detail?: string }[] }>("/api/timeline")).body.events;
      for (const id of bad) {
        const e = events.findLast((x) => x.title === `${id} breaks its failure contract`);
        expect(e?.detail).toMatch(EVIDENCE[id]);
      }
      console.log(
        `[misbehave] ${bad
          .map(
            (id) =>
              `${id}: ${layer(during, id)
                .checks.filter((c) => !c.ok)
                .map((c) => `expected ${c.expect}, saw ${c.observed}`)
                .join("; ")}`,
          )
          .join("\n")}`,
      );
    } finally {
      await control(state, "POST", "/reset");
    }
    const healed = await waitForSnapshot(app.url, "recovery after reset", (s) => ALL_OK(s) && s.layers.every((l) => l.agrees && !l.violation), 45_000);
    expect(healed.layers.every((l) => l.expected === "ok")).toBe(true);
    const metrics = (await app.get<string>("/api/metrics")).body;
    for (const id of bad) expect(metric(metrics, id)).toBe("0");
    expect((await control(state, "GET", "/status")).layers.every((l: { misbehaving: string | null }) => l.misbehaving === null)).toBe(true);
    const titles = (await app.get<{ events: { title: string }[] }>("/api/timeline")).body.events.map((e) => e.title);
    for (const id of bad) expect(titles).toContain(`${id} keeps its contract again`);
  });

  // The outage scenario's "misbehave" choice: L3 is told to fail open, the run waits for the
  // console to catch the violation, and the contract check for L3 is refuted with what L3 did.
  it("a chaos outage run with misbehave L3 refutes L3's contract, with what L3 did; the others hold; the restore leaves L3 behaving", async () => {
    await waitForSnapshot(app.url, "a healthy start", (s) => ALL_OK(s) && s.layers.every((l) => l.agrees), 45_000);
    const res = await fetch(`${app.url}/api/chaos/runs`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ scenario: "outage", params: { mode: "network", durationSeconds: 5, misbehave: "L3" } }),
      signal: AbortSignal.timeout(30_000),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const run = await waitFor(
      `run ${id} to end`,
      async () => {
        const r = (await app.get<ChaosRun>(`/api/chaos/runs/${id}`)).body;
        return r.endedAt ? r : null;
      },
      120_000,
      250,
    );
    const contract = (layer: string) => run.checks.find((c) => c.layer === layer && c.claim === "outage-contract");
    console.log(`[misbehave] chaos run ${run.state}: ${run.error ?? ""} L3: ${contract("L3")?.observed}`);
    expect(run.error).toBeUndefined();
    expect(run.state).toBe("failed");
    expect(contract("L3")).toMatchObject({ verdict: "refuted", ok: false });
    expect(contract("L3")!.observed).toMatch(/create 201/);
    for (const layer of ["L1", "L2", "CP"]) expect(contract(layer), layer).toMatchObject({ verdict: "held" });
    expect(run.steps.find((st) => st.name === "inject the outage")?.detail).toMatch(/L3 fail-open/);
    const after = await waitForSnapshot(app.url, "the run's restore to leave L3 behaving", (s) => ALL_OK(s), 45_000);
    expect(after.layers.every((l) => !l.violation)).toBe(true);
  });
});

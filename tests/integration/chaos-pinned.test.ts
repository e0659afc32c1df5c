/**
 * The failover scenario per addressing mode, end to end through the console's HTTP API on a real
 * devstack running the platform's client models: pinned, the layers stay on the old master and
 * the run measures how long they fail and with which Redis errors (the claim "clients follow a
 * failover" refuted for the platform's setup); follow, they recover. The stack is healthy after both.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChaosRun, ScorecardEntry } from "../../lib/chaos/types";
import { LAYER_IDS } from "../../lib/contract/failure-contract";
import { checksOf, runScenario } from "./helpers/chaos-runs";
import { startConsole, type RunningConsole } from "./helpers/console";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings } from "./helpers/stack";

const TOKEN = "chaos-pinned-operator-token-0123456789ab";

function healthyAfter(run: ChaosRun): void {
  expect(run.postflight, `post-flight of ${run.id}: ${run.error ?? ""}`).toEqual({ healthy: true, problems: [] });
}

describe("failover per addressing mode (apisix-redisrs clients)", () => {
  const settings = testSettings(PORTS.chaosPinned, ["--layer-client", "apisix-redisrs"]);
  let app: RunningConsole;

  beforeAll(async () => {
    await startStack(settings);
    app = await startConsole({ port: CONSOLE_PORTS.chaosPinned, devstackDir: settings.dir, env: { OPERATOR_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await app?.stop();
    await stopStack(settings);
  });

  it("the sandbox's own addressing (pinned, the platform's): no layer follows the failover; each check names how long it failed and its Redis errors", async () => {
    // No addressing asked: the run takes the sandbox's, which is pinned by default, as the platform's gw-redis is.
    const run = await runScenario(app, TOKEN, "failover", { method: "sentinel" });
    healthyAfter(run);
    expect(run.metrics.addressing).toBe("pinned (the sandbox's own)");
    expect(checksOf(run, "failover-automatic")).toHaveLength(1);
    const pinned = checksOf(run, "failover-pinned-clients");
    expect(pinned.map((c) => c.layer)).toEqual([...LAYER_IDS]);
    for (const c of pinned) {
      expect(c.verdict, `${c.layer}: ${c.observed}`).toBe("refuted");
      // Either still failing at the window's end, or ok only because it still writes to the old node.
      expect(c.observed).toMatch(/never recovered|still leads to 127\.0\.0\.1:\d+, not the new master/);
    }
    // The writing layers saw the old master answer READONLY once it rejoined as a replica.
    expect(String(run.metrics.redis_errors_L1 ?? "")).toMatch(/READONLY/);
    expect(String(run.metrics.redis_errors_L3 ?? "")).toMatch(/READONLY/);
    console.log(
      `[measured] chaos failover pinned: ${LAYER_IDS.map((id) => `${id} failing from ${run.metrics[`failing_from_${id}_s`]} to ${run.metrics[`failing_until_${id}_s`]} s after the switch, ${run.metrics[`redis_errors_${id}`] ?? "no Redis error named (cached answers read from the replica)"}`).join("; ")}`,
    );
    const card = (await app.get<{ scorecard: ScorecardEntry[] }>("/api/chaos/scenarios")).body.scorecard;
    expect(card.find((e) => e.claim === "failover-pinned-clients")).toMatchObject({
      verdict: "refuted",
      runId: run.id,
      note: expect.stringMatching(/documented setup/),
    });
  });

  it("follow: every layer recovers on the new master", async () => {
    const run = await runScenario(app, TOKEN, "failover", { method: "sentinel", addressing: "follow" });
    healthyAfter(run);
    expect(run.metrics.addressing).toBe("follow");
    expect(checksOf(run, "failover-automatic").map((c) => c.verdict)).toEqual(["held", ...LAYER_IDS.map(() => "held")]);
    expect(checksOf(run, "failover-pinned-clients")).toHaveLength(0);
    console.log(`[measured] chaos failover follow: ${LAYER_IDS.map((id) => `${id} ok ${run.metrics[`recovery_${id}_s`]} s after the switch`).join("; ")}`);
  });
});

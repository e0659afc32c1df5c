import { describe, expect, it } from "vitest";
import { ChaosConfigSchema } from "../../config/chaos-schema";
import { scenarioAvailability, type CapabilityAnswer } from "./capabilities";
import { EXTERNAL_PARAMS } from "./external-params";
import { externalPlan } from "./plan";

const n = (port: number) => ({ host: "10.0.0.1", port });
const target = { master: n(1), nodes: [n(1), n(2)], sentinels: [n(3)], masterName: "m", deployment: "dev", lockTtlMs: 15000 };

describe("the plan of an external run", () => {
  it("pauses every node for the window (hold + reaction), and says Redis lifts a PAUSE ALL itself", () => {
    const plan = externalPlan("outage", EXTERNAL_PARAMS.outage.parse({ durationSeconds: 10 }), target);
    const pauses = plan.filter((c) => c.command.startsWith("CLIENT PAUSE"));
    expect(pauses.map((c) => [c.address, c.command])).toEqual([
      ["10.0.0.1:1", "CLIENT PAUSE 15000 ALL"],
      ["10.0.0.1:2", "CLIENT PAUSE 15000 ALL"],
    ]);
    expect(pauses[0].restores).toMatch(/lifts it itself/);
    expect(plan[1].command).toBe("SET rrc:chaos-lock <run id> NX PX 15000");
  });

  it("connection exhaustion says it may lower maxclients, what puts it back, and that every new connection is refused meanwhile", () => {
    const plan = externalPlan("connection-exhaustion", EXTERNAL_PARAMS["connection-exhaustion"].parse({ headroom: 2, durationSeconds: 5 }), target);
    const [lower, hold] = plan.filter((c) => /maxclients/.test(c.command));
    expect(lower).toMatchObject({ address: "10.0.0.1:1", durationMs: 5000 });
    expect(lower.command).toMatch(/^CONFIG SET maxclients <clients in use \+ 200 \+ headroom>/);
    expect(lower.restores).toMatch(/journaled first/);
    expect(hold.command).toBe("open connections as the chaos user until maxclients minus 2 are in use (at most 200)");
    expect(hold.warning).toMatch(/refuses every new connection/);
    expect(EXTERNAL_PARAMS["connection-exhaustion"].safeParse({ layerConnections: "drop" }).error?.issues[0].message).toMatch(
      /needs the sandbox's fault proxy/,
    );
  });

  it("a crash names DEBUG CRASH-AND-RECOVER on the master, and warns when the master keeps nothing on disk", () => {
    const crash = (persistence: { appendonly: string; save: string } | null, scenario: "restart-under-load" | "data-integrity" = "restart-under-load") =>
      externalPlan(scenario, EXTERNAL_PARAMS[scenario].parse({}), { ...target, persistence }).find((c) => c.command.startsWith("DEBUG"));
    expect(crash({ appendonly: "yes", save: "" })).toMatchObject({ address: "10.0.0.1:1", command: "DEBUG CRASH-AND-RECOVER 0" });
    expect(crash({ appendonly: "yes", save: "" })?.warning).toBeUndefined();
    expect(crash({ appendonly: "no", save: "3600 1" })?.warning).toBeUndefined();
    expect(crash({ appendonly: "no", save: "" })?.warning).toMatch(/loses every key on it, and its replicas resync empty/);
    expect(crash({ appendonly: "no", save: "" }, "data-integrity")?.warning).toMatch(/resync empty/);
    const writes = externalPlan("data-integrity", EXTERNAL_PARAMS["data-integrity"].parse({}), target).find((c) => c.command.startsWith("SET rrc:integrity:"));
    expect(writes?.restores).toMatch(/UNLINK every rrc:integrity:<run id>:\* key/);
    const failover = externalPlan("data-integrity", EXTERNAL_PARAMS["data-integrity"].parse({ mode: "failover" }), target);
    expect(failover.some((c) => c.command === "SENTINEL FAILOVER m")).toBe(true);
    expect(failover.some((c) => c.command.startsWith("DEBUG"))).toBe(false);
  });

  it("warns before a PAUSE ALL longer than the sentinels' down-after-milliseconds, not before a shorter one or a WRITE pause", () => {
    const warnings = (params: object, downAfterMs: number | null) =>
      externalPlan("outage", EXTERNAL_PARAMS.outage.parse(params), { ...target, downAfterMs })
        .filter((c) => c.command.startsWith("CLIENT PAUSE"))
        .map((c) => c.warning ?? null);
    expect(warnings({ durationSeconds: 10 }, 5000)[0]).toMatch(/^the pause \(15 s\) is longer than the sentinels' down-after-milliseconds \(5000 ms\)/);
    expect(warnings({ durationSeconds: 10 }, 30000)).toEqual([null, null]);
    expect(warnings({ durationSeconds: 10, mode: "write-pause" }, 5000)).toEqual([null, null]);
    expect(warnings({ durationSeconds: 10 }, null)).toEqual([null, null]);
  });

  it("memory pressure names maxmemory, the policy and the filler with its TTL", () => {
    const plan = externalPlan("memory-pressure", EXTERNAL_PARAMS["memory-pressure"].parse({}), target).map((c) => c.command);
    expect(plan).toContain("CONFIG SET maxmemory-policy allkeys-lru");
    expect(plan.some((c) => c.startsWith("SET rrc:filler:") && c.includes("PX 40000"))).toBe(true);
  });
});

describe("external parameters", () => {
  it("an outage defaults to a pause; kill is refused naming what the target can do", () => {
    expect(EXTERNAL_PARAMS.outage.parse({}).mode).toBe("pause");
    const bad = EXTERNAL_PARAMS.outage.safeParse({ mode: "kill" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].message).toContain('"pause"');
  });
});

describe("availability", () => {
  it("a scenario is unavailable with the reason of its first missing capability", () => {
    const answers: CapabilityAnswer[] = [{ capability: "restart-master", available: false, how: "DEBUG RESTART", reason: "DEBUG is not allowed" }];
    expect(scenarioAvailability(answers, "data-integrity")).toEqual({ available: false, reason: "DEBUG is not allowed" });
    expect(scenarioAvailability([{ capability: "freeze-master", available: true, how: "CLIENT PAUSE" }], "outage")).toEqual({ available: true, reason: null });
  });

  it("the config's chaos.allow needs its own user", () => {
    expect(ChaosConfigSchema.safeParse({ allow: true }).success).toBe(false);
    expect(ChaosConfigSchema.parse({ allow: true, username: "rrc-chaos" }).password).toEqual({ from: "none" });
  });
});

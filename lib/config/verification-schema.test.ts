import { describe, expect, it } from "vitest";
import { ConsoleConfigSchema, describeConfigError } from "./schema";

const base = { source: "external", redis: {} };

describe("verification config", () => {
  it("defaults: verdicts expire after 7 days, every claim weighs 1, no guardrails, nowhere to notify", () => {
    const c = ConsoleConfigSchema.parse(base);
    expect(c.claims).toEqual({ expireAfterDays: 7, weights: {} });
    expect(c.guardrails).toEqual([]);
    expect(c.notifications).toMatchObject({ webhooks: [], attempts: 4 });
  });

  it("reads guardrails, weights and notifications with secret headers as password sources", () => {
    const c = ConsoleConfigSchema.parse({
      ...base,
      claims: { expireAfterDays: 14, weights: { "outage-contract": 3 } },
      guardrails: [{ kind: "layer-not-ok" }, { kind: "probe-failure-ratio", layer: "L1", budget: 0.2 }],
      notifications: {
        alertmanager: { url: "http://127.0.0.1:9093" },
        webhooks: [{ name: "sre-slack", url: "https://hooks.example/x", format: "slack", headers: { authorization: { from: "env", name: "HOOK_TOKEN" } } }],
      },
    });
    expect(c.guardrails).toEqual([
      { kind: "layer-not-ok", forSeconds: 5 },
      { kind: "probe-failure-ratio", layer: "L1", budget: 0.2, windowSeconds: 30 },
    ]);
    expect(c.notifications.webhooks[0].headers.authorization).toEqual({ from: "env", name: "HOOK_TOKEN" });
  });

  it("says which field is wrong", () => {
    const bad = ConsoleConfigSchema.safeParse({ ...base, guardrails: [{ kind: "memory-above", ratio: 1.5 }], claims: { expireAfterDays: 0 } });
    expect(bad.success).toBe(false);
    const message = describeConfigError(bad.error!);
    expect(message).toContain("guardrails.0.ratio: ratio is used/maxmemory, between 0 and 1");
    expect(message).toContain("claims.expireAfterDays: claims.expireAfterDays must be more than 0");
  });
});

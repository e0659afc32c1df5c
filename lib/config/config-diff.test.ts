import { describe, expect, it } from "vitest";
import { configChange, describeChange } from "./config-diff";

const file = (over: Record<string, unknown> = {}, auth: Record<string, unknown> = {}) => ({
  auth: { defaultRole: "none", ...auth },
  deployments: [
    { deployment: "sandbox", source: "devstack" },
    { deployment: "staging-eu", source: "external", redis: { nodes: [{ id: "a", host: "h", port: 1 }] }, ...over },
  ],
});

describe("configChange", () => {
  it("names the changed fields by deployment, live or at the next start, never a value", () => {
    const secret = "https://hooks.example/T0/B0/s3cr3t-path";
    const change = configChange(
      file(),
      file({ guardrails: [{ kind: "layer-not-ok" }], notifications: { webhooks: [{ url: secret }] }, tickMs: 500 }, { viewerLinks: { maxSessions: 5 } }),
    );
    expect(change.paths).toEqual([
      "auth.viewerLinks",
      "deployments.staging-eu.guardrails",
      "deployments.staging-eu.notifications",
      "deployments.staging-eu.tickMs",
    ]);
    expect(change.atRestart).toEqual(["auth.viewerLinks", "deployments.staging-eu.tickMs"]);
    const line = describeChange(change);
    expect(line).toBe(
      "changed, in effect now: deployments.staging-eu.guardrails, deployments.staging-eu.notifications; changed, in effect at the next start: auth.viewerLinks, deployments.staging-eu.tickMs",
    );
    expect(line).not.toContain("s3cr3t");
  });

  it("a deployment added or removed, a nested field, and nothing changed", () => {
    const before = file();
    const after = { ...file(), deployments: [...file().deployments.slice(0, 1), { deployment: "prod", source: "external" }] };
    expect(configChange(before, after).paths).toEqual(["deployments.staging-eu (removed)", "deployments.prod (added)"]);
    expect(configChange(file({ redis: { nodes: [{ id: "a", host: "h", port: 2 }] } }), file()).paths).toEqual(["deployments.staging-eu.redis.nodes"]);
    expect(describeChange(configChange(file(), file()))).toBe("no change");
  });

  it("the single-deployment form (no deployments list)", () => {
    expect(configChange({ source: "external", tickMs: 1000 }, { source: "external", tickMs: 2000 }).paths).toEqual(["deployments.sandbox.tickMs"]);
  });
});

import { describe, expect, it } from "vitest";
import { deploymentSlug, parseDeployments } from "./deployments";
import { ConsoleConfigSchema } from "./schema";

const external = (name: string, port = 6379) => ({ deployment: name, source: "external", redis: { nodes: [{ id: "a", host: "10.0.0.1", port }] } });
const sandboxAt = (dir: string) =>
  ConsoleConfigSchema.parse({
    source: "devstack",
    redis: { nodes: [{ id: "redis-a", host: "127.0.0.1", port: 6400 }], password: { from: "devstack-state" } },
    devstack: { dir },
  });

describe("parseDeployments", () => {
  it("keeps the single-object form: one deployment", () => {
    const r = parseDeployments(external("prod"), sandboxAt);
    expect(r.ok && r.configs.map((c) => c.deployment)).toEqual(["prod"]);
  });

  it("reads several, the first being the default, each validated on its own", () => {
    const r = parseDeployments({ deployments: [external("eu"), external("us", 6380)] }, sandboxAt);
    expect(r.ok && r.configs.map((c) => [c.deployment, c.redis.nodes[0].port])).toEqual([
      ["eu", 6379],
      ["us", 6380],
    ]);
  });

  it("names the entry and the field that is wrong", () => {
    const r = parseDeployments({ deployments: [external("eu"), { ...external("us"), tickMs: 5 }] }, sandboxAt);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^deployments\.1: tickMs/);
  });

  it("refuses an empty list, duplicate names and two sandboxes", () => {
    expect(parseDeployments({ deployments: [] }, sandboxAt)).toMatchObject({ ok: false, error: expect.stringContaining("at least one") });
    expect(parseDeployments({ deployments: [external("eu"), external("eu")] }, sandboxAt)).toMatchObject({
      ok: false,
      error: expect.stringContaining('"eu" is used twice'),
    });
    expect(parseDeployments({ deployments: [external("a b"), external("a_b")] }, sandboxAt)).toMatchObject({
      ok: false,
      error: expect.stringContaining("data directory"),
    });
    const two = {
      deployments: [
        { deployment: "s1", source: "devstack", devstack: { dir: "x" } },
        { deployment: "s2", source: "devstack", devstack: { dir: "y" } },
      ],
    };
    expect(parseDeployments(two, sandboxAt)).toMatchObject({ ok: false, error: expect.stringContaining("only one deployment may be the devstack sandbox") });
  });

  it("fills a sandbox named only by its dir from the devstack's layout", () => {
    const r = parseDeployments({ deployments: [{ deployment: "lab", source: "devstack", devstack: { dir: ".devstack-lab" } }, external("prod")] }, sandboxAt);
    expect(r.ok).toBe(true);
    const lab = r.ok ? r.configs[0] : null;
    expect(lab).toMatchObject({ deployment: "lab", source: "devstack", devstack: { dir: ".devstack-lab" }, redis: { password: { from: "devstack-state" } } });
    expect(lab?.redis.nodes[0].port).toBe(6400);
  });
});

describe("deploymentSlug", () => {
  it("is a safe directory name", () => expect(deploymentSlug("eu/prod 1")).toBe("eu_prod_1"));
});

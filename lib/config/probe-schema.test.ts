import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConsoleConfigSchema, describeConfigError } from "./schema";
import { SANDBOX_PROBES } from "./sandbox-probes";

const withL2 = (probe: unknown) =>
  ConsoleConfigSchema.safeParse({ source: "external", redis: {}, layers: [{ id: "L2", url: "https://ai-gw.internal", probe }] });
const errorOf = (probe: unknown) => {
  const res = withL2(probe);
  expect(res.success).toBe(false);
  return describeConfigError(res.error!);
};
const ISSUE_EXAMPLE = {
  everyMs: 15000,
  requests: [
    {
      name: "chat",
      method: "POST",
      path: "/v1/chat/completions",
      headers: { authorization: { env: "L2_PROBE_KEY", prefix: "Bearer " } },
      body: { model: "probe-cached", messages: [{ role: "user", content: "ping" }], max_tokens: 1 },
    },
    { name: "health", method: "GET", path: "/healthz" },
  ],
  states: {
    unavailable: [{ request: "chat", status: "5xx" }],
    degraded: [{ request: "health", json: { path: "status", equals: "degraded" } }],
    ok: [
      { request: "chat", status: "2xx" },
      { request: "health", json: { path: "status", equals: "ok" } },
    ],
  },
};

describe("probe config", () => {
  it("accepts the issue's L2 example as written", () => {
    const res = withL2(ISSUE_EXAMPLE);
    expect(res.success).toBe(true);
    expect(res.data!.layers[0].probe.everyMs).toBe(15000);
  });

  it("accepts docs/probes.md's platform example", () => {
    const readme = fs.readFileSync(path.resolve(__dirname, "../../docs/probes.md"), "utf8");
    const section = readme.slice(readme.indexOf("# Probing your layers"));
    const example = JSON.parse(section.slice(section.indexOf("```json") + 7, section.indexOf("```", section.indexOf("```json") + 7)));
    const res = ConsoleConfigSchema.safeParse({ source: "external", redis: {}, ...example });
    expect(res.success ? "" : describeConfigError(res.error!)).toBe("");
    expect(res.data!.layers.map((l) => l.id)).toEqual(["L1", "L2", "L3", "CP"]);
  });

  it("gives a layer without a probe the sandbox stand-in's", () => {
    const cfg = ConsoleConfigSchema.parse({ source: "external", redis: {}, layers: [{ id: "L3", url: "http://127.0.0.1:1" }] });
    expect(cfg.layers[0].probe).toEqual(SANDBOX_PROBES.L3);
  });

  it("the sandbox probes are valid probe configs", () => {
    const res = ConsoleConfigSchema.safeParse({
      source: "devstack",
      redis: {},
      layers: Object.entries(SANDBOX_PROBES).map(([id, probe]) => ({ id, url: "http://127.0.0.1:1", probe })),
    });
    expect(res.success ? "" : describeConfigError(res.error!)).toBe("");
  });

  it.each([
    [
      "a condition naming no request",
      { ...ISSUE_EXAMPLE, states: { ...ISSUE_EXAMPLE.states, ok: [{ request: "chatt", status: 200 }] } },
      'layers.0.probe.states.ok.0.request: "chatt" is not one of the requests',
    ],
    [
      "a bad status class",
      { ...ISSUE_EXAMPLE, states: { ...ISSUE_EXAMPLE.states, unavailable: [{ request: "chat", status: "6xx" }] } },
      "layers.0.probe.states.unavailable.0.status",
    ],
    [
      "a condition with nothing to check",
      { ...ISSUE_EXAMPLE, states: { ...ISSUE_EXAMPLE.states, unavailable: [{ request: "chat" }] } },
      "layers.0.probe.states.unavailable.0: a condition needs at least one of status, header, json or error",
    ],
    [
      "a template naming a later request",
      {
        ...ISSUE_EXAMPLE,
        requests: [
          { name: "read", path: "/s/{create.id}" },
          { name: "create", method: "POST", path: "/s" },
        ],
      },
      "layers.0.probe.requests.0: {create.…} must name an earlier request",
    ],
    [
      "a duplicate request name",
      { ...ISSUE_EXAMPLE, requests: [ISSUE_EXAMPLE.requests[0], ISSUE_EXAMPLE.requests[0], ISSUE_EXAMPLE.requests[1]] },
      'layers.0.probe.requests.1.name: "chat" is used twice',
    ],
    [
      "an env header without a variable name",
      { ...ISSUE_EXAMPLE, requests: [{ ...ISSUE_EXAMPLE.requests[0], headers: { authorization: { env: "L2 KEY" } } }, ISSUE_EXAMPLE.requests[1]] },
      "layers.0.probe.requests.0.headers.authorization",
    ],
    [
      "a path without /",
      { ...ISSUE_EXAMPLE, requests: [{ name: "chat", path: "v1/chat" }, ISSUE_EXAMPLE.requests[1]] },
      "layers.0.probe.requests.0.path: path must start with /",
    ],
    ["an everyMs below 250", { ...ISSUE_EXAMPLE, everyMs: 10 }, "layers.0.probe.everyMs: everyMs must be at least 250"],
    ["a misspelt field", { ...ISSUE_EXAMPLE, everyMS: 15000 }, "layers.0.probe"],
    ["no ok state", { ...ISSUE_EXAMPLE, states: { degraded: ISSUE_EXAMPLE.states.degraded } }, "layers.0.probe.states.ok"],
    [
      "no state for the layer's outage",
      { ...ISSUE_EXAMPLE, states: { ok: ISSUE_EXAMPLE.states.ok } },
      'layers.0.probe.states.degraded: L2\'s failure contract expects "degraded" while Redis is down',
    ],
  ])("names the field for %s", (_what, probe, message) => {
    expect(errorOf(probe)).toContain(message);
  });
});

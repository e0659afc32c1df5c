/**
 * The sandbox stand-ins' probes, written in the same format a platform's config uses (docs/probes.md): the devstack default config carries them, and a layer entry without
 * a `probe` gets its id's entry here. There is no other, hard-wired way of probing.
 */
import type { LayerId } from "../contract/failure-contract";
import type { ProbeConfig } from "./probe-schema";

const TENANT = "console-probe";

export const SANDBOX_PROBES: Record<LayerId, ProbeConfig> = {
  // Fail open: with Redis gone the gateway still answers 200 and says the limiter was skipped.
  L1: {
    requests: [{ name: "gateway", method: "GET", path: "/", headers: { "x-tenant-id": TENANT } }],
    states: {
      unavailable: [{ request: "gateway", status: "5xx" }],
      degraded: [{ request: "gateway", status: 200, header: { "X-RateLimit-Status": "degraded" } }],
      ok: [{ request: "gateway", status: [200, 429], header: { "X-RateLimit-Status": "ok" } }],
    },
  },
  // Degrade: the completion still answers, the budget is skipped, and health says "degraded".
  // The prompt never changes, so with Redis up it is a cache hit: the fake LLM is rarely called.
  L2: {
    requests: [
      { name: "completion", method: "POST", path: "/v1/completions", body: { tenant: TENANT, prompt: "console probe: are you there?", maxTokens: 8 } },
      { name: "health", method: "GET", path: "/health" },
    ],
    states: {
      unavailable: [{ request: "completion", status: "5xx" }],
      degraded: [
        { request: "completion", status: 200, json: { path: "budget", equals: "skipped" } },
        { request: "health", json: { path: "status", equals: "degraded" } },
      ],
      ok: [
        { request: "completion", status: [200, 429], json: { path: "budget", equals: "enforced" } },
        { request: "health", json: { path: "status", equals: "ok" } },
      ],
    },
  },
  // Fail hard: a canary session is created, read back and deleted; without Redis, 503 and health "unavailable".
  L3: {
    requests: [
      { name: "create", method: "POST", path: "/sessions", body: { tenant: TENANT, agent: "console-canary" } },
      { name: "read", method: "GET", path: "/sessions/{create.id}" },
      { name: "delete", method: "DELETE", path: "/sessions/{create.id}" },
      { name: "health", method: "GET", path: "/health" },
    ],
    states: {
      unavailable: [
        { request: "create", status: "5xx" },
        { request: "health", json: { path: "status", equals: "unavailable" } },
      ],
      ok: [
        { request: "create", status: "2xx" },
        { request: "read", status: "2xx" },
        { request: "delete", status: "2xx" },
        { request: "health", json: { path: "status", equals: "ok" } },
      ],
    },
  },
  // Degrade health, fail calls: health answers "degraded" while the portal's calls answer 5xx.
  CP: {
    requests: [
      { name: "health", method: "GET", path: "/health" },
      { name: "portal", method: "GET", path: `/tenants/${TENANT}` },
    ],
    states: {
      unavailable: [{ request: "health", status: "5xx" }],
      degraded: [
        { request: "health", json: { path: "status", equals: "degraded" } },
        { request: "portal", status: "5xx" },
      ],
      ok: [
        { request: "health", json: { path: "status", equals: "ok" } },
        { request: "portal", status: "2xx" },
      ],
    },
  },
};

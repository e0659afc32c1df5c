/**
 * Contract judgement: given what a probe saw of a layer and whether Redis is up for the layers,
 * what is the layer's status, what does the guide expect, and does it keep its promise?
 * Pure; the collector and the chaos runner both use it.
 */
import type { ContractCheck, LayerObservation, ProbeRequest } from "../snapshot/types";
import { FAILURE_CONTRACT, type LayerId, type LayerStatus } from "./failure-contract";

export interface LayerJudgement {
  status: LayerStatus;
  expected: LayerStatus;
  checks: ContractCheck[];
  agrees: boolean;
  summary: string;
}

const is2xx = (s: number | null) => s !== null && s >= 200 && s < 300;
const is5xx = (s: number | null) => s !== null && s >= 500 && s < 600;

function describe(r: ProbeRequest | undefined): string {
  if (!r) return "not probed";
  if (r.status === null) return `no answer (${r.error ?? "error"})`;
  return String(r.status);
}

function rateLimitHeader(r: ProbeRequest | undefined): string {
  return r?.headers?.["x-ratelimit-status"] ?? "(none)";
}

function healthOf(obs: LayerObservation): string {
  if (!obs.health) return "not probed";
  if (obs.health.httpStatus === null) return "no answer";
  return `${obs.health.httpStatus} ${obs.health.status ?? "(no status)"}`;
}

/** The status a layer shows, from its answers alone. */
export function observedStatus(id: LayerId, obs: LayerObservation): LayerStatus {
  if (!obs.reachable) return "unavailable";
  const [first] = obs.requests;
  const health = obs.health?.status ?? null;
  switch (id) {
    case "L1":
      if (first?.status !== 200 && first?.status !== 429) return "unavailable";
      return rateLimitHeader(first) === "degraded" ? "degraded" : "ok";
    case "L2":
      // 429 is the token budget doing its job.
      if (first?.status !== 200 && first?.status !== 429) return "unavailable";
      return health === "ok" ? "ok" : "degraded";
    case "L3":
      if (obs.requests.some((r) => !is2xx(r.status)) || health === "unavailable") return "unavailable";
      return health === "ok" ? "ok" : "degraded";
    case "CP":
      if (health === null || health === "unavailable") return "unavailable";
      return health === "ok" && is2xx(first?.status ?? null) ? "ok" : "degraded";
  }
}

function checksFor(id: LayerId, obs: LayerObservation, redisUp: boolean): ContractCheck[] {
  const [first] = obs.requests;
  const h = obs.health?.status ?? null;
  const check = (expect: string, observed: string, ok: boolean): ContractCheck => ({ expect, observed, ok });
  switch (id) {
    case "L1": {
      const seen = `${describe(first)} with X-RateLimit-Status: ${rateLimitHeader(first)}`;
      return redisUp
        ? [check("200 (or 429) with X-RateLimit-Status: ok", seen, (first?.status === 200 || first?.status === 429) && rateLimitHeader(first) === "ok")]
        : [check("fail open: 200 with X-RateLimit-Status: degraded", seen, first?.status === 200 && rateLimitHeader(first) === "degraded")];
    }
    case "L2":
      return redisUp
        ? [check("completion 200 (or 429 over budget)", describe(first), first?.status === 200 || first?.status === 429), check("health ok", healthOf(obs), h === "ok")]
        : [
            check("completion still 200 (cache skipped, LLM called)", describe(first), first?.status === 200),
            check("health degraded", healthOf(obs), h === "degraded"),
          ];
    case "L3": {
      const seen = obs.requests.map((r) => `${r.name} ${describe(r)}`).join(", ") || "not probed";
      return redisUp
        ? [check("session create/read/delete 2xx", seen, obs.requests.length > 0 && obs.requests.every((r) => is2xx(r.status))), check("health ok", healthOf(obs), h === "ok")]
        : [
            check("fail hard: session create 500/503", seen, first?.status === 500 || first?.status === 503),
            check("health unavailable (503)", healthOf(obs), obs.health?.httpStatus === 503 || h === "unavailable"),
          ];
    }
    case "CP":
      return redisUp
        ? [check("health ok", healthOf(obs), h === "ok"), check("portal call 200", describe(first), is2xx(first?.status ?? null))]
        : [check("health degraded", healthOf(obs), h === "degraded"), check("portal call fails with 5xx", describe(first), is5xx(first?.status ?? null))];
  }
}

/** One line of what the layer answered, e.g. "200 · X-RateLimit-Status: degraded". */
export function summarize(id: LayerId, obs: LayerObservation): string {
  if (!obs.reachable) return `layer not answering: ${obs.error ?? "no response"}`;
  const [first] = obs.requests;
  switch (id) {
    case "L1":
      return `${describe(first)} · X-RateLimit-Status: ${rateLimitHeader(first)}`;
    case "L3":
      return `${obs.requests.map((r) => `${r.name.split(" ")[0]} ${describe(r)}`).join(" · ")} · health ${healthOf(obs)}`;
    default:
      return `health ${healthOf(obs)} · ${first?.name ?? "call"} ${describe(first)}`;
  }
}

/** Judges one layer. `redisUp` is Redis as the layers see it; null means not known yet. */
export function judgeLayer(id: LayerId, obs: LayerObservation | null, redisUp: boolean | null): LayerJudgement {
  if (!obs) return { status: "unknown", expected: redisUp === null ? "unknown" : redisUp ? "ok" : FAILURE_CONTRACT[id].statusDuringOutage, checks: [], agrees: true, summary: "not probed yet" };
  const status = observedStatus(id, obs);
  const summary = summarize(id, obs);
  if (redisUp === null) return { status, expected: "unknown", checks: [], agrees: true, summary };
  const expected: LayerStatus = redisUp ? "ok" : FAILURE_CONTRACT[id].statusDuringOutage;
  const checks = checksFor(id, obs, redisUp);
  return { status, expected, checks, agrees: status === expected && checks.every((c) => c.ok), summary };
}

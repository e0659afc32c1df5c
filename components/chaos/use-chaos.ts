"use client";

import { useQuery } from "@tanstack/react-query";
import type { ChaosRun, ScenarioInfo } from "@/lib/chaos/types";
import type { AgedScorecardEntry } from "@/lib/verification/claims-standing";
import type { Guardrail } from "@/lib/verification/guardrails";
import { useApiPath } from "../live/use-deployment";

export interface ChaosCatalogue {
  scenarios: (ScenarioInfo & { unavailable?: boolean })[];
  /** Each claim's latest verdict with its age and expiry. */
  scorecard: AgedScorecardEntry[];
  /** The config's guardrails for manual runs, shown on the plan before Confirm. */
  guardrails?: Guardrail[];
  activeRunId: string | null;
  chaosRefusal: string | null;
  /** "external": a deployment opted in with the three keys (docs/chaos-dev-stack.md). */
  target?: "sandbox" | "external";
  /** Which sandbox: the Sentinel one, or the Redis Cluster one (its scenarios act on one shard). */
  sandbox?: "sentinel" | "cluster" | null;
  /** Per scenario: can this target run it, and why not. */
  availability?: { scenario: string; available: boolean; reason: string | null }[];
  /** An external target's unfinished fault journal and its restore's retries. */
  recovery?: { state: "idle" | "restoring" | "waiting"; runId: string | null; attempts: number; problems: string[]; nextAttemptAt: string | null };
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { cache: "no-store", signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return res.json();
}

export const chaosKeys = {
  catalogue: ["chaos", "catalogue"] as const,
  runs: ["chaos", "runs"] as const,
  run: (id: string) => ["chaos", "run", id] as const,
};

/** The scenarios, scorecard and whether chaos is allowed on the deployment on screen. */
export function useChaosCatalogue() {
  const api = useApiPath();
  return useQuery({ queryKey: chaosKeys.catalogue, queryFn: () => getJson<ChaosCatalogue>(api("/api/chaos/scenarios")), refetchInterval: 3000 });
}

export function useRuns() {
  const api = useApiPath();
  return useQuery({ queryKey: chaosKeys.runs, queryFn: async () => (await getJson<{ runs: ChaosRun[] }>(api("/api/chaos/runs"))).runs, refetchInterval: 5000 });
}

/** One run, polled every second while it is running. */
export function useRun(id: string | null) {
  return useQuery({
    queryKey: chaosKeys.run(id ?? "none"),
    queryFn: () => getJson<ChaosRun>(`/api/chaos/runs/${id}`),
    enabled: !!id,
    refetchInterval: (q) => (q.state.data?.state === "running" || (q.state.data?.state !== undefined && !q.state.data.endedAt) ? 1000 : false),
  });
}

/** POSTs as the operator; throws with the API's own message. */
export async function postJson(url: string, body?: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    const problems = Array.isArray(json.problems) ? ` — ${json.problems.join("; ")}` : "";
    throw new Error(`${json.error ?? `answered ${res.status}`}${problems}`);
  }
  return json;
}

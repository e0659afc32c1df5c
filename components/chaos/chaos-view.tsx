"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import type { Snapshot } from "@/lib/snapshot/types";
import { missingRole, useOperator } from "../auth/use-operator";
import { useApiPath, useDeployment } from "../live/use-deployment";
import { usePresentMode } from "../live/use-present-mode";
import { useSnapshot } from "../live/use-snapshot";
import { SectionTitle } from "../ui/card";
import { StatusBadge } from "../ui/status-badge";
import { tally, tallyLine } from "@/lib/chaos/verdict";
import { formatTime } from "../ui/format";
import { JournalBanner } from "./journal-banner";
import { RunPanel } from "./run-panel";
import { ScenarioCard } from "./scenario-card";
import { ResilienceScoreCard } from "./resilience-score";
import { ScorecardTable } from "./scorecard-table";
import { chaosKeys, postJson, useChaosCatalogue, useRun, useRuns, type ChaosCatalogue } from "./use-chaos";

/** Why this target cannot run the scenario (null when it can, or when the answer is not in yet). */
function unavailableReason(catalogue: ChaosCatalogue | undefined, id: string): string | null {
  const a = catalogue?.availability?.find((x) => x.scenario === id);
  return a && !a.available ? (a.reason ?? "this target cannot run it") : null;
}

export function ChaosView({ initialSnapshot }: { initialSnapshot: Snapshot }) {
  const { snapshot = initialSnapshot } = useSnapshot(initialSnapshot);
  const present = usePresentMode();
  const session = useOperator().data;
  // Chaos routes without ?deployment= act on the sandbox.
  const deployment = useDeployment() ?? session?.chaosDeployment ?? null;
  const catalogue = useChaosCatalogue().data;
  const runs = useRuns().data ?? [];
  const client = useQueryClient();
  const api = useApiPath();
  const [shownRunId, setShownRunId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The run picked from the history, else the one in progress, else the latest: the page opens on news.
  const runId = shownRunId ?? catalogue?.activeRunId ?? runs[0]?.id ?? null;
  const run = useRun(runId).data;
  const active = catalogue?.activeRunId ?? (run?.state === "running" || run?.state === "restoring" ? run.id : null);

  // When the shown run ends, the history and the scorecard change with it: refresh them at once.
  const endedAt = run?.endedAt ?? null;
  useEffect(() => {
    if (endedAt) void Promise.all([client.invalidateQueries({ queryKey: chaosKeys.runs }), client.invalidateQueries({ queryKey: chaosKeys.catalogue })]);
  }, [endedAt, client]);

  // The server refuses too (403 naming the role); the page says why before anyone clicks.
  const disabledReason = catalogue?.chaosRefusal ?? missingRole(session, "operator", deployment) ?? (active ? "a run is in progress" : null);

  async function start(scenario: string, params: Record<string, unknown>) {
    setBusy(true);
    setError(null);
    try {
      const { id } = (await postJson(api("/api/chaos/runs"), { scenario, params, origin: "console" })) as { id: string };
      setShownRunId(id);
      await Promise.all([client.invalidateQueries({ queryKey: chaosKeys.catalogue }), client.invalidateQueries({ queryKey: chaosKeys.runs })]);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function halt() {
    if (!run) return;
    setBusy(true);
    try {
      await postJson(`/api/chaos/runs/${run.id}/abort`);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Chaos lab</h1>
        <p className="text-muted">
          {catalogue?.target === "external"
            ? "Faults sent by command to this dev stack, opted in with the three keys (docs/chaos-dev-stack.md). Every fault is journaled before it is sent and undone after the run."
            : catalogue?.sandbox === "cluster"
              ? "Scenarios on the Redis Cluster sandbox: one shard at a time is broken, and each check says which shard's tenants it speaks of — the shard under test, or the other shards. Every run restores the cluster, roles as created."
              : "Sandboxed scenarios that break Redis on purpose and check what the guide claims against what the layers really do. Every run restores the stack."}
        </p>
      </div>

      <section
        aria-label="Layers now"
        className="flex flex-wrap items-center gap-3 rounded-lg border border-line bg-panel px-4 py-3"
        data-testid="chaos-layers"
      >
        <span className="text-sm text-muted">Layers now:</span>
        {snapshot.layers.map((l) => (
          <span key={l.id} className="flex items-center gap-1.5">
            <span className="font-mono font-semibold">{l.id}</span>
            <StatusBadge status={l.status} testId={`chaos-layer-${l.id}`} />
          </span>
        ))}
        <span className="text-sm text-muted">
          · Redis for the layers: {snapshot.redis.available ? "reachable" : snapshot.redis.available === false ? "UNREACHABLE" : "unknown"}
        </span>
      </section>

      {error && (
        <p role="alert" className="rounded-md bg-unavailable/15 px-3 py-2 text-sm text-unavailable">
          {error}
        </p>
      )}

      {!present && catalogue?.recovery && <JournalBanner recovery={catalogue.recovery} />}

      {run && (
        <RunPanel run={run} onHalt={present || missingRole(session, "operator", deployment) ? undefined : halt} halting={busy && run.state === "running"} />
      )}

      {!present && (
        <section aria-label="Scenarios">
          <SectionTitle
            right={
              catalogue?.chaosRefusal ? (
                <span className="text-sm text-degraded">{catalogue.chaosRefusal}</span>
              ) : session && !session.signedIn ? (
                <Link href="/login?next=/chaos" className="text-sm text-accent hover:underline">
                  Log in as operator to run →
                </Link>
              ) : session && missingRole(session, "operator", deployment) ? (
                <span className="text-sm text-muted">{missingRole(session, "operator", deployment)}</span>
              ) : null
            }
          >
            Scenarios
          </SectionTitle>
          <div className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-3">
            {(catalogue?.scenarios ?? []).map((s) => (
              <ScenarioCard
                key={s.id}
                scenario={s}
                disabledReason={disabledReason}
                targetReason={unavailableReason(catalogue, s.id)}
                busy={busy}
                guardrails={catalogue?.guardrails}
                onRun={(params) => void start(s.id, params)}
              />
            ))}
          </div>
        </section>
      )}

      <ResilienceScoreCard />

      <section aria-label="Scorecard">
        <SectionTitle>Guide claims scorecard</SectionTitle>
        {catalogue ? <ScorecardTable entries={catalogue.scorecard} /> : <p className="text-muted">Loading…</p>}
      </section>

      <section aria-label="Recent runs">
        <SectionTitle>Recent runs</SectionTitle>
        {runs.length === 0 ? (
          <p className="text-muted">No run yet.</p>
        ) : (
          <ul className="flex flex-col divide-y divide-line rounded-lg border border-line bg-panel">
            {runs.slice(0, 15).map((r) => (
              <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-2 text-sm">
                <button type="button" className="font-mono text-accent hover:underline" onClick={() => setShownRunId(r.id)}>
                  {r.scenario}
                </button>
                <span className="text-muted">
                  {formatTime(r.startedAt)} · {r.origin}
                </span>
                <span
                  className={
                    r.state === "passed" ? "text-ok" : r.state === "running" ? "text-accent" : r.state === "restoring" ? "text-degraded" : "text-unavailable"
                  }
                >
                  {r.state} · {tallyLine(tally(r.checks))}
                </span>
                <Link href={`/chaos/runs/${r.id}`} className="text-accent hover:underline">
                  report →
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

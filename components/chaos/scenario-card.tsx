"use client";

import { useState } from "react";
import type { PlannedCommand } from "@/lib/chaos/targets/capabilities";
import type { ScenarioInfo } from "@/lib/chaos/types";
import { useApiPath } from "../live/use-deployment";
import type { Guardrail } from "@/lib/verification/guardrails";
import { RunPlan } from "./run-plan";

/** A scenario with its parameters and a Run button (or the reason it cannot run). */
export function ScenarioCard({
  scenario,
  disabledReason,
  targetReason = null,
  onRun,
  busy,
  guardrails = [],
}: {
  scenario: ScenarioInfo & { unavailable?: boolean };
  disabledReason: string | null;
  targetReason?: string | null;
  onRun: (params: Record<string, unknown>) => void;
  busy: boolean;
  guardrails?: Guardrail[];
}) {
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(scenario.params.map((p) => [p.name, String(p.default)])));
  const [plan, setPlan] = useState<PlannedCommand[] | null>(null);
  const [planError, setPlanError] = useState<string | null>(null);
  const api = useApiPath();
  const reason = scenario.unavailable ? "not available in this build yet" : (targetReason ?? disabledReason);
  const params = () => Object.fromEntries(scenario.params.map((p) => [p.name, p.type === "number" ? Number(values[p.name]) : values[p.name]]));
  // The Run button shows the plan first; only Confirm starts the run.
  async function showPlan() {
    setPlanError(null);
    const url = `${api("/api/chaos/plan")}${api("/api/chaos/plan").includes("?") ? "&" : "?"}scenario=${encodeURIComponent(scenario.id)}&params=${encodeURIComponent(JSON.stringify(params()))}`;
    const res = await fetch(url, { cache: "no-store", signal: AbortSignal.timeout(5000) }).catch((err: Error) => err);
    if (res instanceof Error) return setPlanError(res.message);
    const body = (await res.json().catch(() => ({}))) as { plan?: PlannedCommand[]; error?: string };
    if (!res.ok || !body.plan) return setPlanError(body.error ?? `the plan answered ${res.status}`);
    setPlan(body.plan);
  }
  return (
    <article data-testid={`scenario-${scenario.id}`} className="flex flex-col gap-3 rounded-lg border border-line bg-panel p-4">
      <div>
        <h3 className="text-base font-semibold">
          {scenario.title} <span className="font-mono text-sm text-muted">{scenario.id}</span>
        </h3>
        <p className="text-sm text-muted">{scenario.description}</p>
      </div>
      {scenario.params.length > 0 && (
        <div className="flex flex-wrap gap-3">
          {scenario.params.map((p) => (
            <label key={p.name} className="flex flex-col gap-0.5 text-sm" title={p.help}>
              <span className="text-muted">
                {p.name}
                {p.unit ? ` (${p.unit})` : ""}
              </span>
              {p.type === "enum" ? (
                <select
                  aria-label={`${scenario.id} ${p.name}`}
                  value={values[p.name]}
                  onChange={(e) => setValues({ ...values, [p.name]: e.target.value })}
                  className="rounded-md border border-line bg-panel-2 px-2 py-1"
                >
                  {p.options!.map((o) => (
                    <option key={o}>{o}</option>
                  ))}
                </select>
              ) : (
                <input
                  aria-label={`${scenario.id} ${p.name}`}
                  type="number"
                  min={p.min}
                  max={p.max}
                  value={values[p.name]}
                  onChange={(e) => setValues({ ...values, [p.name]: e.target.value })}
                  className="w-24 rounded-md border border-line bg-panel-2 px-2 py-1"
                />
              )}
            </label>
          ))}
        </div>
      )}
      <div className="mt-auto flex items-center gap-3">
        <button
          type="button"
          data-testid={`run-${scenario.id}`}
          disabled={!!reason || busy}
          onClick={() => void showPlan()}
          className="rounded-md bg-accent px-4 py-1.5 font-semibold text-bg disabled:cursor-not-allowed disabled:opacity-40"
        >
          Run
        </button>
        {reason && (
          <span data-testid={`unavailable-${scenario.id}`} className="text-sm text-muted">
            {reason}
          </span>
        )}
        {planError && <span className="text-sm text-degraded">{planError}</span>}
      </div>
      {plan && (
        <RunPlan
          plan={plan}
          guardrails={guardrails}
          onCancel={() => setPlan(null)}
          onConfirm={() => {
            setPlan(null);
            onRun(params());
          }}
        />
      )}
    </article>
  );
}

"use client";

import type { PlannedCommand } from "@/lib/chaos/targets/capabilities";
import { describeGuardrail, type Guardrail } from "@/lib/verification/guardrails";

/** "Say before": what the run will send, where, what undoes it, for how long — then Confirm. */
export function RunPlan({
  plan,
  guardrails = [],
  onConfirm,
  onCancel,
}: {
  plan: PlannedCommand[];
  guardrails?: Guardrail[];
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <div data-testid="run-plan" className="flex flex-col gap-2 rounded-md border border-line bg-panel-2 p-3 text-sm">
      <p className="font-semibold">This run will send:</p>
      <ol className="flex flex-col gap-1">
        {plan.map((c, i) => (
          <li key={i}>
            <span className="font-mono">{c.command}</span> <span className="text-muted">→ {c.address}</span>
            {c.durationMs !== null && <span className="text-muted"> for {Math.round(c.durationMs / 1000)} s</span>}
            <div className="text-muted">undone by: {c.restores}</div>
            {c.warning && (
              <div data-testid="plan-warning" className="text-degraded">
                ⚠ {c.warning}
              </div>
            )}
          </li>
        ))}
      </ol>
      {/* What stops the run by itself (config `guardrails`): an abort that restores, not a refuted claim. */}
      <div data-testid="plan-guardrails">
        <p className="font-semibold">It stops and restores by itself if:</p>
        {guardrails.length ? (
          <ul className="list-inside list-disc">
            {guardrails.map((g, i) => (
              <li key={i}>{describeGuardrail(g)}</li>
            ))}
          </ul>
        ) : (
          <p className="text-muted">no guardrail is configured (config `guardrails`): only an abort stops it early.</p>
        )}
      </div>
      <div className="flex gap-2">
        <button type="button" data-testid="confirm-run" onClick={onConfirm} className="rounded-md bg-accent px-3 py-1 font-semibold text-bg">
          Confirm run
        </button>
        <button type="button" onClick={onCancel} className="rounded-md border border-line px-3 py-1">
          Cancel
        </button>
      </div>
    </div>
  );
}

"use client";

import { FAILURE_CONTRACT, type FailurePolicy } from "@/lib/contract/failure-contract";
import type { LayerSnapshot } from "@/lib/snapshot/types";
import { StatusBadge } from "../ui/status-badge";
import { redact, usePresentMode } from "../live/use-present-mode";
import { formatDuration } from "../ui/format";
import { writingToReplica } from "./replica-writes";

const POLICY_LABEL: Record<FailurePolicy, string> = {
  "fail-open": "Fails open",
  degrade: "Degrades",
  "fail-hard": "Fails hard",
  "degrade-health-fail-calls": "Degrades health, calls fail",
};

const BORDER = { ok: "border-line", degraded: "border-degraded/60", unavailable: "border-unavailable/70", unknown: "border-line" } as const;

/** The failed checks worth listing: the conditions that did not hold; the state check only when alone (its "saw" repeats Observed). */
function failedEvidence(layer: LayerSnapshot) {
  const failed = layer.checks.filter((c) => !c.ok);
  const conditions = failed.filter((c) => !c.state);
  return conditions.length ? conditions : failed;
}

/** How old the judged result is, for a probe that runs on its own cadence (an expensive L2 call). */
function ProbeAge({ observed, now }: { observed: LayerSnapshot["observed"]; now: number }) {
  if (!observed.everyMs || !observed.at) return null;
  const age = Math.max(0, (now - Date.parse(observed.at)) / 1000);
  const stale = age * 1000 > 2 * observed.everyMs;
  return (
    <span className={stale ? "font-semibold text-unavailable" : "text-muted"}>
      {" "}
      · result {formatDuration(age)} old, probed every {formatDuration(observed.everyMs / 1000)}
      {stale && " (too old to judge)"}
    </span>
  );
}

/** `addressOnReplica`: the layers' address check sees a replica, so a READONLY here means the address still leads to the old master. */
export function LayerCard({ layer, now, addressOnReplica = false }: { layer: LayerSnapshot; now: number; addressOnReplica?: boolean }) {
  const contract = FAILURE_CONTRACT[layer.id];
  const present = usePresentMode();
  const sinceSeconds = Math.max(0, (now - Date.parse(layer.since)) / 1000);
  return (
    <article
      data-testid={`layer-${layer.id}`}
      data-status={layer.status}
      data-violation={layer.violation}
      className={`flex flex-col gap-3 rounded-lg border-2 bg-panel p-4 ${layer.violation ? "border-unavailable ring-1 ring-unavailable/40" : BORDER[layer.status]}`}
    >
      <header className="flex items-start justify-between gap-2">
        <div>
          <h3 className="text-lg font-semibold">
            <span className="mr-2 font-mono text-muted">{layer.id}</span>
            {contract.name}
          </h3>
          <p className="text-sm text-muted">{contract.redisUse}</p>
        </div>
        <StatusBadge status={layer.status} testId={`layer-${layer.id}-status`} />
      </header>

      {writingToReplica(layer) && (
        <p
          data-testid={`layer-${layer.id}-replica`}
          className="rounded-md bg-unavailable/15 px-3 py-2 text-sm font-semibold text-unavailable ring-1 ring-unavailable/40"
        >
          Writing to a replica: Redis answers READONLY{addressOnReplica ? " — the layers still point at the old master" : ""}
        </p>
      )}

      {layer.agrees && layer.status !== "ok" && layer.status !== "unknown" && (
        <p data-testid={`layer-${layer.id}-verdict`} className="rounded-md bg-ok/10 px-3 py-2 text-sm font-medium text-ok ring-1 ring-ok/30">
          ✓ Keeps its contract: {contract.outageBehaviour}
        </p>
      )}

      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-muted">Policy</dt>
        <dd>
          <span className="font-semibold">{POLICY_LABEL[contract.policy]}</span>
          <span className="text-muted"> — on outage: {contract.outageBehaviour}</span>
        </dd>
        <dt className="text-muted">Expected</dt>
        <dd>
          <StatusBadge status={layer.expected} />
        </dd>
        <dt className="text-muted">Observed</dt>
        <dd className="font-mono text-[13px] break-words" data-testid={`layer-${layer.id}-observed`}>
          {redact(layer.summary, present)}
        </dd>
        <dt className="text-muted">Probe</dt>
        <dd data-testid={`layer-${layer.id}-probe`}>
          {layer.observed.latencyMs === null ? "no answer" : `${layer.observed.latencyMs} ms`}
          <ProbeAge observed={layer.observed} now={now} />
        </dd>
        <dt className="text-muted">Since</dt>
        <dd>
          {layer.status} for {formatDuration(sinceSeconds)}
        </dd>
      </dl>

      {!layer.agrees && (
        <div
          data-testid={`layer-${layer.id}-verdict`}
          className={`rounded-md px-3 py-2 text-sm ${layer.violation ? "bg-unavailable/20 text-unavailable ring-1 ring-unavailable/50" : "bg-panel-2 text-muted"}`}
        >
          <p className="font-semibold">
            {layer.violation
              ? `Contract violation: ${layer.id} breaks its failure contract`
              : !layer.observed.reachable
                ? "Layer not answering: its own process is down or hung"
                : "Settling: not yet what the contract expects"}
          </p>
          <ul className="mt-1 list-disc pl-5">
            {failedEvidence(layer).map((c) => (
              <li key={c.expect}>
                expected {c.expect}; saw {redact(c.observed, present)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </article>
  );
}

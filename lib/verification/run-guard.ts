import "server-only";
/**
 * Follows one run from its start to its final state: judges its guardrails on every look and
 * stops it (abort, then the run's own restore) as soon as one holds for its duration, recording
 * which one on the run; when the run ends, tells people what they asked to hear (a guardrail's
 * abort, a claim a scheduled run refuted).
 */
import type { ChaosRun, GuardrailAbort } from "@/lib/chaos/types";
import { queryHasSample } from "@/lib/prometheus/client";
import { prometheusSource } from "@/lib/prometheus/source";
import type { Snapshot } from "@/lib/snapshot/types";
import { firstTrip, type Guardrail, type GuardrailObservation } from "./guardrails";
import type { VerificationEvent } from "./notification";
import { layersInScope, observationOf, probeTimes } from "./observe";

export interface GuardedTarget {
  run(id: string): ChaosRun | null | undefined;
  abort(id: string, by: GuardrailAbort): unknown;
  snapshot(): Snapshot;
}

/** How often the guard looks: within a guardrail's duration + 1 s of it holding, the run is stopped. */
const LOOK_EVERY_MS = 500;
/** The longest any guardrail needs to look back; older looks are dropped. */
const HISTORY_MS = 10 * 60_000;

// On globalThis: route bundles may each load this module; the count must be the process's one.
const KEY = Symbol.for("redis-resilience-console.guardrail-aborts");
const counts: Map<string, Map<string, number>> = ((globalThis as typeof globalThis & { [KEY]?: Map<string, Map<string, number>> })[KEY] ??= new Map());
/** rrc_guardrail_aborts_total of a deployment: guardrail -> runs it stopped since start. */
export const guardrailAborts = (deployment: string): ReadonlyMap<string, number> => counts.get(deployment) ?? new Map();

export function guardRun(opts: {
  runId: string;
  deployment: string;
  scenario: string;
  guardrails: Guardrail[];
  target: GuardedTarget;
  notify: (deployment: string, event: VerificationEvent) => Promise<void>;
  /** Told once the run is final (the audit trail's "run.finished"). */
  onEnd?: (run: ChaosRun) => Promise<void>;
}): Promise<void> {
  const { runId, deployment, target } = opts;
  const history: GuardrailObservation[] = [];
  let probeAt: Record<string, string | null> = {};
  let lastSeq = -1;
  let tripped: GuardrailAbort | null = null;
  const queries = opts.guardrails.filter((g): g is Extract<Guardrail, { kind: "promql" }> => g.kind === "promql").map((g) => g.query);

  return new Promise<void>((resolve) => {
    const look = async () => {
      const run = target.run(runId);
      if (!run || run.endedAt) {
        clearInterval(timer);
        if (run) {
          await opts.onEnd?.(run).catch(() => {});
          await tellAbout(run, opts).catch(() => {});
        }
        resolve();
        return;
      }
      if (tripped || !opts.guardrails.length) return;
      const s = target.snapshot();
      // A new look is added once; between looks the latest is judged again on the guard's clock.
      if (s.seq !== lastSeq || queries.length) {
        lastSeq = s.seq;
        const promql = queries.length ? await askPromql(queries) : undefined;
        history.push(observationOf(s, probeAt, promql));
        probeAt = probeTimes(s);
        while (history.length && history[0].at < Date.now() - HISTORY_MS) history.shift();
      }
      const trip = firstTrip(
        opts.guardrails,
        history,
        layersInScope(
          opts.scenario,
          s.layers.map((l) => l.id),
        ),
        Date.now(),
      );
      if (!trip) return;
      tripped = trip;
      target.abort(runId, trip);
      const mine = counts.get(deployment) ?? new Map<string, number>();
      mine.set(trip.guardrail, (mine.get(trip.guardrail) ?? 0) + 1);
      counts.set(deployment, mine);
    };
    const timer = setInterval(() => void look(), LOOK_EVERY_MS);
    timer.unref();
  });
}

/** A query that fails does not stop the run: a guardrail that cannot be read is not a breach (the run's own checks still judge). */
async function askPromql(queries: string[]): Promise<Record<string, boolean>> {
  const target = prometheusSource();
  const out: Record<string, boolean> = {};
  for (const q of queries) out[q] = target ? await queryHasSample(target, q).catch(() => false) : false;
  return out;
}

async function tellAbout(run: ChaosRun, opts: { deployment: string; notify: (deployment: string, event: VerificationEvent) => Promise<void> }): Promise<void> {
  const at = run.endedAt ?? new Date().toISOString();
  if (run.abortedBy) {
    await opts.notify(opts.deployment, {
      kind: "guardrail-abort",
      deployment: opts.deployment,
      scenario: run.scenario,
      runId: run.id,
      guardrail: run.abortedBy.guardrail,
      saw: run.abortedBy.saw,
      at,
    });
    return;
  }
  if (run.origin !== "schedule") return;
  const refuted = new Map<string, string>();
  for (const c of run.checks) if (c.verdict === "refuted" && c.claim && !refuted.has(c.claim)) refuted.set(c.claim, c.observed);
  for (const [claim, observed] of refuted)
    await opts.notify(opts.deployment, { kind: "claim-refuted", deployment: opts.deployment, scenario: run.scenario, runId: run.id, claim, observed, at });
}

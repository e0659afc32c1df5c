/**
 * Guardrails (issue 29): conditions under which a run stops itself and restores, because the
 * system left the steady state the experiment was allowed to disturb (Gremlin's health checks, FIS
 * stop conditions). Pure: the run engine feeds the observations it already makes, this says whether
 * one guardrail has held for its duration, since when and what it saw.
 */

export type Guardrail =
  /** A layer outside the scenario's scope (or one of `layers`) leaves ok. */
  | { kind: "layer-not-ok"; forSeconds: number; layers?: string[]; name?: string }
  /** A layer's probe failures over the last `windowSeconds` above `budget` (a share, 0-1). */
  | { kind: "probe-failure-ratio"; layer: string; windowSeconds: number; budget: number; name?: string }
  /** One of the console's alert rules fires (any, or the one named; optionally only pages). */
  | { kind: "alert"; forSeconds: number; rule?: string; severity?: "page" | "warn"; name?: string }
  /** A PromQL query against prometheus.url returns a sample. */
  | { kind: "promql"; query: string; forSeconds: number; name?: string }
  /** used_memory / maxmemory above `ratio`. */
  | { kind: "memory-above"; ratio: number; forSeconds: number; name?: string };

/** One look at the deployment during a run, in the shape every target observes. */
export interface GuardrailObservation {
  at: number;
  layers: Record<string, { status: string; probeOk: boolean | null }>;
  firingAlerts: { rule: string; severity: string }[];
  memory: { used: number; max: number | null } | null;
  /** Per promql guardrail query: whether it returned a sample (absent: not asked this look). */
  promql?: Record<string, boolean>;
}

export interface GuardrailTrip {
  guardrail: string;
  since: string;
  at: string;
  saw: string;
}

export function guardrailName(g: Guardrail): string {
  if (g.name) return g.name;
  if (g.kind === "probe-failure-ratio") return `probe-failure-ratio ${g.layer}`;
  if (g.kind === "alert" && g.rule) return `alert ${g.rule}`;
  return g.kind;
}

/**
 * Whether `g` holds over `history` (oldest first, the last is the latest look). `inScope`: the
 * layers the scenario is meant to disturb, left out of `layer-not-ok` unless the guardrail names
 * them. `nowMs`: the guard's clock; a breach the latest look still shows has held until now, so
 * the run stops once its duration is over, not at the first look after it (looks come once a
 * tick, later on a loaded machine).
 */
export function guardrailTrip(g: Guardrail, history: GuardrailObservation[], inScope: string[] = [], nowMs?: number): GuardrailTrip | null {
  const now = history.at(-1);
  if (!now) return null;
  const nowAt = Math.max(nowMs ?? now.at, now.at);
  if (g.kind === "probe-failure-ratio") return probeRatioTrip(g, history, now);
  const breach = breachOf(g, inScope);
  // The condition must have held at every look back to `since`, and for its whole duration.
  let since: GuardrailObservation | null = null;
  for (let i = history.length - 1; i >= 0; i--) {
    if (breach(history[i]) === null) break;
    since = history[i];
  }
  if (!since || nowAt - since.at < g.forSeconds * 1000) return null;
  return { guardrail: guardrailName(g), since: new Date(since.at).toISOString(), at: new Date(nowAt).toISOString(), saw: breach(now)! };
}

type Breach = (o: GuardrailObservation) => string | null;

function breachOf(g: Exclude<Guardrail, { kind: "probe-failure-ratio" }>, inScope: string[]): Breach {
  switch (g.kind) {
    case "layer-not-ok":
      return (o) => {
        const watched = g.layers ?? Object.keys(o.layers).filter((id) => !inScope.includes(id));
        const off = watched.filter((id) => o.layers[id] && o.layers[id].status !== "ok");
        return off.length ? off.map((id) => `${id} ${o.layers[id].status}`).join(", ") : null;
      };
    case "alert":
      return (o) => {
        const firing = o.firingAlerts.filter((a) => (!g.rule || a.rule === g.rule) && (!g.severity || a.severity === g.severity));
        return firing.length ? `firing: ${firing.map((a) => `${a.rule} (${a.severity})`).join(", ")}` : null;
      };
    case "promql":
      return (o) => (o.promql?.[g.query] ? `${g.query} returned a sample` : null);
    case "memory-above":
      return (o) => {
        if (!o.memory?.max) return null;
        const ratio = o.memory.used / o.memory.max;
        return ratio > g.ratio ? `memory at ${(ratio * 100).toFixed(1)} % of maxmemory (guardrail ${(g.ratio * 100).toFixed(0)} %)` : null;
      };
  }
}

function probeRatioTrip(
  g: Extract<Guardrail, { kind: "probe-failure-ratio" }>,
  history: GuardrailObservation[],
  now: GuardrailObservation,
): GuardrailTrip | null {
  const from = now.at - g.windowSeconds * 1000;
  // A ratio over part of a window is noise: judge only once a whole window has been watched.
  if (history[0].at > from) return null;
  const probes = history.filter((o) => o.at >= from && o.layers[g.layer]?.probeOk != null);
  if (!probes.length) return null;
  const failed = probes.filter((o) => o.layers[g.layer].probeOk === false).length;
  const ratio = failed / probes.length;
  if (ratio <= g.budget) return null;
  return {
    guardrail: guardrailName(g),
    since: new Date(from).toISOString(),
    at: new Date(now.at).toISOString(),
    saw: `${g.layer}: ${failed} of ${probes.length} probes failed in ${g.windowSeconds} s (${(ratio * 100).toFixed(0)} %, budget ${(g.budget * 100).toFixed(0)} %)`,
  };
}

/** One line for the plan: what stops the run. */
export function describeGuardrail(g: Guardrail): string {
  switch (g.kind) {
    case "layer-not-ok":
      return `${g.layers?.length ? g.layers.join(", ") : "a layer the scenario should not touch"} leaves ok for ${g.forSeconds} s`;
    case "probe-failure-ratio":
      return `more than ${Math.round(g.budget * 100)} % of ${g.layer}'s probes fail over ${g.windowSeconds} s`;
    case "alert":
      return `${g.rule ? `alert ${g.rule}` : `any ${g.severity ?? ""} alert`.replace("  ", " ")} fires${g.forSeconds ? ` for ${g.forSeconds} s` : ""}`;
    case "promql":
      return `PromQL ${g.query} returns a sample${g.forSeconds ? ` for ${g.forSeconds} s` : ""}`;
    case "memory-above":
      return `memory above ${Math.round(g.ratio * 100)} % of maxmemory${g.forSeconds ? ` for ${g.forSeconds} s` : ""}`;
  }
}

/** The first guardrail that trips, in the order they are listed. */
export function firstTrip(guardrails: Guardrail[], history: GuardrailObservation[], inScope: string[] = [], nowMs?: number): GuardrailTrip | null {
  for (const g of guardrails) {
    const trip = guardrailTrip(g, history, inScope, nowMs);
    if (trip) return trip;
  }
  return null;
}

/**
 * The incident fold: timeline events and recorded snapshot states, in the order they happened,
 * become incidents. Deterministic, no I/O: the store feeds it live and persists the result, the
 * tests feed it recorded sequences. `step` updates the state in place (one call per tick must
 * not copy every incident).
 */
import type { LayerStatus } from "../contract/failure-contract";
import type { TimelineEvent, TimelineSeverity } from "../timeline/types";
import { classify, sentinelType } from "./classify";
import type { Incident, IncidentInput, LayerImpact, StateSample } from "./types";

export interface FoldState {
  incidents: Incident[];
  /** The open incident's id, if any (at most one is open: a drill replaces a settling one). */
  openId: string | null;
  /** Since when everything has been ok (the settle period runs from here). */
  okSince: string | null;
  last: StateSample | null;
  /** A chaos run is running: its drill stays open whatever the states say. */
  chaosRunning: string | null;
  seq: number;
}

export interface FoldOptions {
  settleMs: number;
  /** Incidents kept (oldest dropped first). */
  max: number;
}

/** A gap between two samples longer than this (a console restart) is not counted as impact. */
const MAX_SAMPLE_GAP_MS = 10_000;
const RANK: Record<TimelineSeverity, number> = { info: 0, warn: 1, page: 2 };
const BAD: LayerStatus[] = ["degraded", "unavailable"];

export function emptyFold(): FoldState {
  return { incidents: [], openId: null, okSince: null, last: null, chaosRunning: null, seq: 0 };
}

export function openIncident(s: FoldState): Incident | null {
  return s.openId ? (s.incidents.find((i) => i.id === s.openId) ?? null) : null;
}

export function foldIncidents(inputs: IncidentInput[], opts: FoldOptions, s: FoldState = emptyFold()): FoldState {
  for (const input of inputs) step(s, input, opts);
  return s;
}

export function step(s: FoldState, input: IncidentInput, opts: FoldOptions): void {
  if (input.type === "event") onEvent(s, input.event, opts);
  else onState(s, input.state, opts);
}

function open(
  s: FoldState,
  at: string,
  noticedBy: Incident["noticedBy"],
  severity: TimelineSeverity,
  opts: FoldOptions,
  drill: string | null,
  eventId: number,
): Incident {
  const inc: Incident = {
    id: `${at.replace(/[-:]/g, "").replace("T", "-").slice(0, 15)}-${++s.seq}`,
    drill: drill !== null,
    chaosRun: drill,
    title: drill !== null ? `Drill: ${noticedBy.title}` : noticedBy.title,
    startedAt: at,
    noticedBy,
    severity,
    state: "open",
    recoveredAt: null,
    closedAt: null,
    durationMs: null,
    layers: [],
    moments: [],
    alerts: [],
    details: [],
    eventIds: [eventId, eventId],
  };
  s.incidents.push(inc);
  if (s.incidents.length > opts.max) s.incidents.splice(0, s.incidents.length - opts.max);
  s.openId = inc.id;
  s.okSince = null;
  return inc;
}

function close(s: FoldState, inc: Incident, recoveredAt: string, closedAt: string): void {
  inc.state = "closed";
  inc.recoveredAt = recoveredAt;
  inc.closedAt = closedAt;
  inc.durationMs = Math.max(0, Date.parse(recoveredAt) - Date.parse(inc.startedAt));
  s.openId = null;
  s.okSince = null;
}

/**
 * An incident a stopped console left open: after a short gap (a redeploy) it simply continues,
 * but after a long one nobody saw how it ended, and folding the next fault into it would report
 * one incident hours long. It is closed at the last look before the stop, and says so.
 */
export function endUnobserved(s: FoldState, lastSeenAt: string, now: string, maxGapMs: number): Incident | null {
  const inc = openIncident(s);
  if (!inc || Date.parse(now) - Date.parse(lastSeenAt) <= maxGapMs) return null;
  const at = Date.parse(lastSeenAt) < Date.parse(inc.startedAt) ? inc.startedAt : lastSeenAt;
  inc.details.push({
    at: now,
    kind: "console",
    title: `The console stopped while this incident was open (last look ${at}) and came back at ${now}: its end was not observed, so its duration runs to the last look`,
    count: 1,
  });
  close(s, inc, at, now);
  return inc;
}

function onEvent(s: FoldState, e: TimelineEvent, opts: FoldOptions): void {
  const c = classify(e);
  let inc = openIncident(s);
  if (c.chaosStarted && inc && !inc.drill && Date.parse(inc.startedAt) >= Date.parse(e.at)) {
    // The run's start arrived after its effects (another replica runs it, and its step reached
    // this one through the store): the incident they opened is the drill.
    s.chaosRunning = e.subject ?? "chaos";
    Object.assign(inc, { drill: true, chaosRun: s.chaosRunning, title: `Drill: ${e.title}`, startedAt: e.at, noticedBy: { kind: e.kind, title: e.title } });
    inc.eventIds[0] = e.id;
  } else if (c.chaosStarted) {
    // A drill gets its own incident: the one still settling ends where things were last ok.
    if (inc) close(s, inc, s.okSince ?? e.at, e.at);
    s.chaosRunning = e.subject ?? "chaos";
    inc = open(s, e.at, { kind: e.kind, title: e.title }, "warn", opts, s.chaosRunning, e.id);
  } else if (!inc && c.opens && s.last) {
    // Not before the first recorded state: the console's first look (at start, after a restart)
    // fires what was already so, which is no incident start.
    inc = open(s, e.at, { kind: e.kind, title: e.title }, e.severity, opts, null, e.id);
  }
  if (c.chaosEnded && s.chaosRunning === (e.subject ?? "chaos")) s.chaosRunning = null;
  if (!inc) return;
  inc.eventIds[1] = e.id;
  if (RANK[e.severity] > RANK[inc.severity] && !c.alertResolved) inc.severity = e.severity;
  if (c.alertFired || c.alertResolved) {
    inc.alerts.push({ at: e.at, rule: e.subject ?? e.title, state: c.alertFired ? "fired" : "resolved", severity: e.severity, summary: e.detail });
  } else if (c.keyMoment) {
    inc.moments.push({ at: e.at, title: e.title, severity: e.severity });
  } else {
    addDetail(inc, e);
  }
}

/** One line per step: a step reported again (by another sentinel, for another replica) counts on its line. */
function addDetail(inc: Incident, e: TimelineEvent): void {
  const type = sentinelType(e);
  const key = type ?? e.title;
  const same = inc.details.findLast((d) => d.kind === e.kind && (d.key ?? d.title) === key);
  if (same && Date.parse(e.at) - Date.parse(same.at) < 60_000) {
    same.count++;
    return;
  }
  inc.details.push({ at: e.at, kind: e.kind, title: e.title, count: 1, ...(type ? { key: type } : {}) });
}

function isOk(st: StateSample): boolean {
  return (
    st.layers.every((l) => (l.status === "ok" || l.status === "unknown") && !l.violation) &&
    !st.firing.some((f) => f.severity !== "info") &&
    st.redisAvailable !== false &&
    st.nodesDown.length === 0
  );
}

function onState(s: FoldState, st: StateSample, opts: FoldOptions): void {
  const prev = s.last;
  s.last = st;
  let inc = openIncident(s);
  const bad = st.layers.find((l) => BAD.includes(l.status));
  if (!inc && bad && !s.chaosRunning) {
    inc = open(s, st.at, { kind: "layer", title: `${bad.id} ${bad.status}` }, bad.status === "unavailable" ? "page" : "warn", opts, null, 0);
  }
  if (!inc) return;
  if (prev && Date.parse(prev.at) >= Date.parse(inc.startedAt)) accumulate(inc, prev, st);
  else for (const l of st.layers) impactOf(inc, l.id, st.at, l.status);
  attachFailovers(inc, st);
  if (!isOk(st) || s.chaosRunning) {
    s.okSince = null;
    inc.recoveredAt = null;
    return;
  }
  s.okSince ??= st.at;
  // Shown while it settles: an SRE reads "ok again for 20 s", not an incident still going.
  inc.recoveredAt = s.okSince;
  if (Date.parse(st.at) - Date.parse(s.okSince) >= opts.settleMs) close(s, inc, s.okSince, st.at);
}

function impactOf(inc: Incident, layer: LayerImpact["layer"], at: string, status: LayerStatus): LayerImpact {
  let li = inc.layers.find((x) => x.layer === layer);
  if (!li) inc.layers.push((li = { layer, worst: "ok", ms: {}, violationMs: 0, firstNotOkAt: null, backOkAt: null }));
  if (status !== "ok") {
    li.firstNotOkAt ??= at;
    li.backOkAt = null;
    if (status === "unavailable" || (status === "degraded" && li.worst !== "unavailable") || (status === "unknown" && li.worst === "ok")) li.worst = status;
  } else if (li.firstNotOkAt && !li.backOkAt) li.backOkAt = at;
  return li;
}

/** The interval prev→st is charged to prev's statuses: what tenants saw until the next look. */
function accumulate(inc: Incident, prev: StateSample, st: StateSample): void {
  const dt = Date.parse(st.at) - Date.parse(prev.at);
  for (const l of st.layers) {
    const before = prev.layers.find((x) => x.id === l.id);
    const li = impactOf(inc, l.id, st.at, l.status);
    if (!before || dt <= 0 || dt > MAX_SAMPLE_GAP_MS) continue;
    if (before.status !== "ok") li.ms[before.status] = (li.ms[before.status] ?? 0) + dt;
    if (before.violation) li.violationMs += dt;
  }
}

/** A +switch-master moment gets Sentinel's measured phases once the failover history has them. */
function attachFailovers(inc: Incident, st: StateSample): void {
  for (const m of inc.moments) {
    if (m.phases || !m.title.includes("+switch-master")) continue;
    const f = st.failovers.find((r) => Math.abs(Date.parse(r.endedAt) - Date.parse(m.at)) < 30_000);
    if (f) Object.assign(m, { phases: f.phases, failoverMs: f.durationMs });
  }
}

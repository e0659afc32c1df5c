/** Measures a failover's phases from its milestones. Pure. */
import type { FailoverPhase, FailoverStepId, FailoverStepMark } from "./types";

/** Each phase ends at a milestone and starts at the previous milestone that was seen. */
const PHASE_ENDS: [FailoverPhase["name"], FailoverStepId][] = [
  ["detection", "odown"],
  ["start", "try-failover"],
  ["election", "elected-leader"],
  ["promotion", "promoted"],
  ["reconfiguration", "failover-end"],
  ["announce", "switch-master"],
];

const ms = (iso: string) => Date.parse(iso);

/**
 * The phases between the milestones present, in Sentinel's order. `announce` ends when the last
 * sentinel reported `+switch-master`: until then some clients may still be told the old master.
 */
export function failoverPhases(steps: FailoverStepMark[], masterLostAt: string | null): FailoverPhase[] {
  const byStep = new Map(steps.map((s) => [s.step, s]));
  const out: FailoverPhase[] = [];
  const sdown = byStep.get("sdown");
  if (masterLostAt && sdown && ms(masterLostAt) <= ms(sdown.at)) {
    out.push({ name: "down-after", from: "unreachable", to: "sdown", ms: ms(sdown.at) - ms(masterLostAt) });
  }
  let prev: FailoverStepMark | undefined = sdown;
  for (const [name, end] of PHASE_ENDS) {
    const mark = byStep.get(end);
    if (!mark) continue;
    const endAt = end === "switch-master" ? (mark.lastAt ?? mark.at) : mark.at;
    if (prev) out.push({ name, from: prev.step, to: end, ms: Math.max(0, ms(endAt) - ms(prev.at)) });
    prev = mark;
  }
  return out;
}

/** First milestone (or the moment the master was lost) to the last milestone heard. */
export function failoverDuration(steps: FailoverStepMark[], masterLostAt: string | null): { startedAt: string; endedAt: string; ms: number } | null {
  if (!steps.length) return null;
  const starts = steps.map((s) => ms(s.at));
  if (masterLostAt) starts.push(ms(masterLostAt));
  const ends = steps.map((s) => ms(s.lastAt ?? s.at));
  const start = Math.min(...starts);
  const end = Math.max(...ends);
  return { startedAt: new Date(start).toISOString(), endedAt: new Date(end).toISOString(), ms: end - start };
}

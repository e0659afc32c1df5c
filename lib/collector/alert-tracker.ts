/** Gives each alert its since-when and writes fire/resolve (with the duration) to the timeline. */
import type { AlertEvaluation } from "../alerts/rules";
import type { AlertState, Snapshot } from "../snapshot/types";
import type { TimelineInput } from "./changes";

export class AlertTracker {
  private since = new Map<string, string>();

  constructor(private readonly record: (e: TimelineInput) => void) {}

  /** This tick's alert states, given the evaluations and the previous snapshot. */
  track(evals: AlertEvaluation[], prev: Snapshot, nowIso: string): AlertState[] {
    return evals.map((a) => {
      const was = prev.alerts.find((x) => x.rule === a.rule);
      if (a.firing && !was?.firing) {
        this.since.set(a.rule, nowIso);
        this.record({ kind: "alert", severity: a.severity, subject: a.rule, title: `Alert ${a.rule} firing`, detail: a.summary });
      } else if (!a.firing && was?.firing) {
        const since = this.since.get(a.rule);
        const secs = since ? ((Date.parse(nowIso) - Date.parse(since)) / 1000).toFixed(1) : "?";
        this.since.delete(a.rule);
        this.record({ kind: "alert", severity: "info", subject: a.rule, title: `Alert ${a.rule} resolved after ${secs} s`, detail: a.summary });
      }
      return {
        rule: a.rule,
        severity: a.severity,
        firing: a.firing,
        since: a.firing ? (this.since.get(a.rule) ?? nowIso) : null,
        summary: a.summary,
        value: a.value,
        ...(a.notApplicable ? { notApplicable: a.notApplicable } : {}),
      };
    });
  }
}

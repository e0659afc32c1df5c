/**
 * What continuous verification tells people (issue 29), and the bodies it sends: an Alertmanager
 * API v2 alert, a JSON webhook, or a Slack-compatible `{text}`. Pure; the notifier sends them.
 */

export type VerificationEvent =
  | { kind: "claim-refuted"; deployment: string; claim: string; scenario: string; runId: string; observed: string; at: string }
  | { kind: "guardrail-abort"; deployment: string; scenario: string; runId: string; guardrail: string; saw: string; at: string }
  | { kind: "claim-expired"; deployment: string; claim: string; lastVerdict: string; measuredAt: string; at: string }
  | { kind: "schedule-not-started"; deployment: string; schedule: string; scenario: string; reason: string; at: string };

/** A refuted claim pages; the rest ask for a look during working hours. */
export function severityOf(event: VerificationEvent): "page" | "warn" {
  return event.kind === "claim-refuted" ? "page" : "warn";
}

export function summaryOf(e: VerificationEvent): string {
  switch (e.kind) {
    case "claim-refuted":
      return `${e.deployment}: a scheduled ${e.scenario} run refuted "${e.claim}" (${e.observed})`;
    case "guardrail-abort":
      return `${e.deployment}: guardrail ${e.guardrail} stopped a ${e.scenario} run and restored the stack (${e.saw})`;
    case "claim-expired":
      return `${e.deployment}: "${e.claim}" expired, last ${e.lastVerdict} at ${e.measuredAt}; run its scenario again`;
    case "schedule-not-started":
      return `${e.deployment}: schedule ${e.schedule} could not start ${e.scenario}: ${e.reason}`;
  }
}

/** Where a person goes from the notification: the run, or the Schedules page. */
export function linkOf(e: VerificationEvent, consoleUrl: string): string {
  const base = consoleUrl.replace(/\/+$/, "");
  const deployment = `deployment=${encodeURIComponent(e.deployment)}`;
  if (e.kind === "claim-refuted" || e.kind === "guardrail-abort") return `${base}/chaos?${deployment}&run=${encodeURIComponent(e.runId)}`;
  return `${base}/schedules?${deployment}`;
}

const ALERT_NAMES: Record<VerificationEvent["kind"], string> = {
  "claim-refuted": "RRCClaimRefuted",
  "guardrail-abort": "RRCGuardrailAbort",
  "claim-expired": "RRCClaimExpired",
  "schedule-not-started": "RRCScheduleNotStarted",
};

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  generatorURL: string;
}

/**
 * One alert for Alertmanager's `POST /api/v2/alerts`. Labels identify it (a second send of the
 * same event is the same alert, which Alertmanager de-duplicates); it resolves on its own after
 * Alertmanager's resolve_timeout, as the console sends no "resolved".
 */
export function alertmanagerAlert(e: VerificationEvent, consoleUrl: string): AlertmanagerAlert {
  const labels: Record<string, string> = { alertname: ALERT_NAMES[e.kind], deployment: e.deployment, severity: severityOf(e) };
  if ("claim" in e) labels.claim = e.claim;
  if ("scenario" in e) labels.scenario = e.scenario;
  if (e.kind === "guardrail-abort") labels.guardrail = e.guardrail;
  if (e.kind === "schedule-not-started") labels.schedule = e.schedule;
  return { labels, annotations: { summary: summaryOf(e) }, startsAt: e.at, generatorURL: linkOf(e, consoleUrl) };
}

export function webhookBody(e: VerificationEvent, format: "json" | "slack", consoleUrl: string): unknown {
  const url = linkOf(e, consoleUrl);
  if (format === "slack") return { text: `${severityOf(e) === "page" ? ":rotating_light:" : ":warning:"} ${summaryOf(e)} <${url}|open>` };
  return { ...e, severity: severityOf(e), summary: summaryOf(e), url };
}

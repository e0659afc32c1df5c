/** What a timeline event means for incidents: does it open one, is it a key moment, an alert, a chaos boundary. Pure. */
import type { TimelineEvent } from "../timeline/types";

export interface EventClass {
  opens: boolean;
  keyMoment: boolean;
  alertFired: boolean;
  alertResolved: boolean;
  chaosStarted: boolean;
  chaosEnded: boolean;
}

/** Sentinel's events that tell the failover's story; the rest (reconf, selection …) are folded details. */
const KEY_SENTINEL = new Set([
  "+odown",
  "-odown",
  "+switch-master",
  "+failover-end-for-timeout",
  "-failover-abort-no-good-slave",
  "+tilt",
  "+failover-detected",
]);

/** The Sentinel event type an entry came from (its detail ends "· +type raw"). */
export function sentinelType(e: TimelineEvent): string | null {
  if (e.kind !== "sentinel" || !e.detail) return null;
  const m = / · ([+-][a-z-]+)/.exec(e.detail);
  return m ? m[1] : null;
}

export function classify(e: TimelineEvent): EventClass {
  const c: EventClass = { opens: false, keyMoment: false, alertFired: false, alertResolved: false, chaosStarted: false, chaosEnded: false };
  switch (e.kind) {
    case "alert":
      c.alertFired = / firing$/.test(e.title);
      c.alertResolved = / resolved after /.test(e.title);
      c.opens = c.alertFired && e.severity === "page";
      break;
    case "layer":
      // A broken contract opens one; a status change opens it from the state sample (same tick).
      c.opens = / breaks its failure contract$/.test(e.title) || e.severity !== "info";
      c.keyMoment = / breaks its failure contract$| keeps its contract again$/.test(e.title);
      break;
    case "redis":
      c.opens = e.severity === "page";
      c.keyMoment = true;
      break;
    case "sentinel": {
      const type = sentinelType(e);
      const masterSdown = type === "+sdown" && /: master /.test(e.title);
      c.keyMoment = type ? KEY_SENTINEL.has(type) || masterSdown : e.severity !== "info" || /answering again/.test(e.title);
      c.opens = e.severity === "page";
      break;
    }
    case "chaos":
      c.chaosStarted = /^Chaos run \S+ started$/.test(e.title);
      c.chaosEnded = /^Chaos run \S+ (passed|failed|aborted)/.test(e.title);
      c.keyMoment = c.chaosStarted || c.chaosEnded;
      break;
    case "console":
      break;
  }
  return c;
}

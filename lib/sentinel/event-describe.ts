/**
 * Turns a (deduplicated) Sentinel event into a timeline entry an SRE can read: which node,
 * what it means, who reported it. Pure. Discovery chatter (+slave, +sentinel, votes) is left out.
 */
import type { TimelineEvent } from "../timeline/types";
import type { SentinelEvent } from "./event-parse";

export type SentinelTimelineEntry = Pick<TimelineEvent, "severity" | "title" | "detail" | "subject">;

/** Events that say nothing new to a reader: discovery, votes, and config updates folded into +switch-master. */
const SILENT = new Set([
  "+slave",
  "+sentinel",
  "-dup-sentinel",
  "+vote-for-leader",
  "+config-update-from",
  "+sentinel-address-switch",
  "+sentinel-invalid-addr",
]);

const KIND_WORD = { master: "master", slave: "replica", sentinel: "sentinel" } as const;

/**
 * `name` turns an address into the node or sentinel id the console knows (or the address).
 * Returns null for events that stay out of the timeline.
 */
export function describeSentinelEvent(e: SentinelEvent, reporters: string[], name: (addr: string) => string): SentinelTimelineEntry | null {
  if (SILENT.has(e.type)) return null;
  const who = e.instance ? name(e.instance.addr) : null;
  // "sentinel-2", not "sentinel sentinel-2"; "replica redis-b"; a bare address keeps its kind word.
  const what = e.instance ? (e.instance.kind === "sentinel" && who?.startsWith("sentinel") ? who : `${KIND_WORD[e.instance.kind]} ${who}`) : "";
  const lead = reporters[0];
  const t = (severity: TimelineEvent["severity"], title: string) => ({ severity, title, subject: who ?? lead });
  const base = ((): SentinelTimelineEntry | null => {
    switch (e.type) {
      case "+sdown":
        return t("warn", `Sentinel: ${what} subjectively down`);
      case "-sdown":
        return t("info", `Sentinel: ${what} answering again (no longer sdown)`);
      case "+odown":
        return t("page", `Sentinel: master ${who} objectively down${e.quorum ? ` (quorum ${e.quorum})` : ""}: failover will start`);
      case "-odown":
        return t("info", `Sentinel: master ${who} no longer objectively down`);
      case "+new-epoch":
        return { severity: "info", title: `Sentinel: new epoch ${e.epoch}`, subject: lead };
      case "+try-failover":
        return t("warn", `Sentinel: ${lead} starts a failover of ${who}`);
      case "+elected-leader":
        return { severity: "info", title: `Sentinel: ${lead} elected failover leader`, subject: lead };
      case "+failover-state-select-slave":
        return t("info", "Sentinel failover: selecting a replica to promote");
      case "+selected-slave":
        return t("info", `Sentinel failover: selected replica ${who}`);
      case "+failover-state-send-slaveof-noone":
        return t("info", `Sentinel failover: sending REPLICAOF NO ONE to ${who}`);
      case "+failover-state-wait-promotion":
        return t("info", `Sentinel failover: waiting for ${who} to report master`);
      case "+promoted-slave":
        return t("warn", `Sentinel failover: ${who} promoted to master`);
      case "+failover-state-reconf-slaves":
        return t("info", "Sentinel failover: reconfiguring the other replicas");
      case "+slave-reconf-sent":
        return t("info", `Sentinel failover: told replica ${who} to follow the new master`);
      case "+slave-reconf-inprog":
        return t("info", `Sentinel failover: replica ${who} resyncing with the new master`);
      case "+slave-reconf-done":
        return t("info", `Sentinel failover: replica ${who} follows the new master`);
      case "+failover-end":
        return t("info", "Sentinel failover ended");
      case "+failover-end-for-timeout":
        return t("page", "Sentinel failover ended by failover-timeout: some replicas were not reconfigured");
      case "+failover-detected":
        return t("warn", `Sentinel: ${who} was promoted outside Sentinel; Sentinel follows it`);
      case "-failover-abort-not-elected":
        return t("warn", `Sentinel: ${lead} was not elected leader; its failover attempt is aborted`);
      case "-failover-abort-no-good-slave":
        return t("page", `Sentinel: failover of ${who} aborted: no replica fit to promote`);
      case "+switch-master": {
        const sm = e.switchMaster!;
        return { severity: "warn", title: `Sentinel +switch-master: master is now ${name(sm.to)} (was ${name(sm.from)})`, subject: name(sm.to) };
      }
      case "+convert-to-slave":
        return t("info", `Sentinel: ${who} converted to a replica of ${e.masterAddr ? name(e.masterAddr) : "the master"}`);
      case "+role-change":
      case "-role-change":
        return t("info", `Sentinel: ${what} now reports role ${e.reportedRole ?? "?"}`);
      case "+reboot":
        return t("warn", `Sentinel: ${what} restarted (new run id)`);
      case "+tilt":
        return { severity: "page", title: `Sentinel: ${lead} entered TILT mode: it will not act until its clock settles`, subject: lead };
      case "-tilt":
        return { severity: "info", title: `Sentinel: ${lead} left TILT mode`, subject: lead };
      default:
        if (e.type.startsWith("-failover-abort")) return t("page", `Sentinel: failover aborted (${e.type.slice(1)})`);
        return t("info", `Sentinel ${e.type}${who ? ` ${what}` : ""}`);
    }
  })();
  if (!base) return null;
  return { ...base, detail: `reported by ${reporters.join(", ")} · ${e.type} ${e.raw}`.trim() };
}

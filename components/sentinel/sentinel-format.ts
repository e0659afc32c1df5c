/** Display helpers for the Sentinel page: stage names, durations, node labels. */
import type { FailoverStepId, FailoverStepMark } from "@/lib/sentinel/types";
import type { NodeSnapshot } from "@/lib/snapshot/types";

/** The stepper's stages: what an SRE asks ("is the master down? who leads? is there a new master?"), in Sentinel's real order. */
export const FAILOVER_STAGES: { label: string; steps: FailoverStepId[]; automaticOnly?: boolean }[] = [
  { label: "Master down (sdown)", steps: ["sdown"], automaticOnly: true },
  { label: "Quorum agrees (odown)", steps: ["odown"], automaticOnly: true },
  { label: "Leader elected", steps: ["try-failover", "elected-leader"] },
  { label: "Replica promoted", steps: ["selected-replica", "promoted"] },
  { label: "Replicas reconfigured", steps: ["reconf-replicas", "failover-end"] },
  { label: "Master switched", steps: ["switch-master"] },
];

export const PHASE_LABEL: Record<string, string> = {
  "down-after": "down-after",
  detection: "detection",
  start: "start",
  election: "election",
  promotion: "promotion",
  reconfiguration: "reconfig",
  announce: "announce",
};

/** "156 ms", "1.23 s", "12.0 s". */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** A node as people name it: its id, with its address unless presenting. */
export function nodeLabel(addr: string | null | undefined, nodes: NodeSnapshot[], present: boolean, knownId?: string | null): string {
  if (!addr) return knownId ?? "—";
  const id = knownId ?? nodes.find((n) => n.addr === addr)?.id ?? null;
  if (present) return id ?? "•••";
  return id ? `${id} (${addr})` : addr;
}

/** The latest mark within a stage, and whether the stage is complete (its last step reached). */
export function stageMark(steps: FailoverStepMark[], stage: FailoverStepId[]): { mark: FailoverStepMark | undefined; done: boolean } {
  const mark = [...steps].reverse().find((s) => stage.includes(s.step));
  return { mark, done: steps.some((s) => s.step === stage.at(-1)) };
}

/** What a half-done stage is doing. */
export const SUBSTEP_LABEL: Partial<Record<FailoverStepId, string>> = {
  "try-failover": "election running",
  "selected-replica": "selected",
  "reconf-replicas": "reconfiguring",
};

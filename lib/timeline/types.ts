/** An incident timeline event. Client-safe. */
export type TimelineKind = "layer" | "redis" | "sentinel" | "alert" | "chaos" | "console";
export type TimelineSeverity = "info" | "warn" | "page";

export interface TimelineEvent {
  id: number;
  at: string;
  kind: TimelineKind;
  severity: TimelineSeverity;
  title: string;
  detail?: string;
  /** What the event is about: a layer id, a node id, a sentinel id, a rule, a chaos run id. */
  subject?: string;
}

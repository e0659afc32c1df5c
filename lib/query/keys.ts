/** The one set of React Query keys. */
export const queryKeys = {
  snapshot: ["snapshot"] as const,
  timeline: ["timeline"] as const,
  history: (minutes: number) => ["history", minutes] as const,
  keyspace: (present: boolean) => ["keyspace", present] as const,
  configAudit: ["config-audit"] as const,
  alertRules: ["alert-rules"] as const,
  fleet: ["fleet"] as const,
};

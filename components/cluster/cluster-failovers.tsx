"use client";

import type { ClusterFailover } from "@/lib/snapshot/cluster-types";
import { formatTime } from "../ui/format";

/** The failovers the console followed, newest first, with the measured time to cluster_state ok. */
export function ClusterFailovers({ failovers }: { failovers: ClusterFailover[] }) {
  if (!failovers.length) return <p className="rounded-lg border border-line bg-panel p-4 text-muted">No failover followed since the console started.</p>;
  return (
    <ol data-testid="cluster-failovers" className="flex flex-col gap-2">
      {failovers.map((f) => (
        <li key={`${f.shard}-${f.promotedAt}`} data-testid="cluster-failover" data-kind={f.kind} className="rounded-lg border border-line bg-panel px-4 py-3">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <span className="font-semibold">
              {f.shard}: {f.to} promoted in place of {f.from}
            </span>
            <span className="text-sm text-muted">{formatTime(f.promotedAt)}</span>
          </div>
          <div className="text-sm">
            {f.kind === "manual" ? "manual (CLUSTER FAILOVER): no failure seen first" : `the master failed at ${formatTime(f.failedAt!)}`}
            {" · "}
            {f.seconds === null ? (
              <span className="text-degraded">waiting for cluster_state:ok on every node</span>
            ) : (
              <span data-testid="failover-seconds">
                cluster_state ok <strong>{f.seconds.toFixed(1)} s</strong> after {f.kind === "manual" ? "the promotion" : "the failure"}
              </span>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}

"use client";

import { memoryOverThreshold, memoryUsedRatio } from "@/lib/snapshot/rules";
import { CONFIG_PROBLEMS, configBlindness } from "@/lib/redis/connection-error";
import type { Snapshot } from "@/lib/snapshot/types";
import { shownAddr } from "../live/use-present-mode";
import { formatBytes, formatPercent } from "../ui/format";
import { ClusterSummary, shardRole } from "./cluster-summary";

/** Each Redis node and sentinel at a glance: up or down, role, memory. */
export function TopologyStrip({ snapshot, present }: { snapshot: Snapshot; present: boolean }) {
  const { nodes } = snapshot.redis;
  const s = snapshot.sentinel;
  return (
    <section aria-label="Redis topology" className="flex flex-wrap items-stretch gap-3">
      {nodes.length === 0 && <p className="text-muted">No Redis node sampled yet.</p>}
      {nodes.map((n) => {
        const ratio = memoryUsedRatio(n);
        const high = memoryOverThreshold(n, snapshot.thresholds.memoryUsedRatio);
        return (
          <div
            key={n.id}
            data-testid={`node-${n.id}`}
            data-up={n.up}
            data-role={n.role}
            className={`min-w-56 flex-1 rounded-lg border-2 bg-panel px-4 py-3 ${n.up ? "border-line" : "border-unavailable/70"}`}
          >
            <div className="flex items-center justify-between gap-2">
              <span className="font-semibold">{n.id}</span>
              <span
                className={`rounded px-2 py-0.5 text-sm font-semibold uppercase ${n.up ? (n.role === "master" ? "bg-accent/20 text-accent" : "bg-panel-2 text-text") : "bg-unavailable/20 text-unavailable"}`}
              >
                {n.up ? n.role : n.problem && CONFIG_PROBLEMS.has(n.problem) ? "not watched" : `down (${n.role})`}
              </span>
            </div>
            <div className="mt-1 font-mono text-sm text-muted">{shownAddr(n.addr, present)}</div>
            {snapshot.cluster && <div className="text-sm text-muted">{shardRole(snapshot.cluster, n.id) ?? "in no shard (failed, or not yet a replica)"}</div>}
            {n.up ? (
              <div className="mt-2">
                <div className="flex flex-wrap justify-between gap-x-2 text-sm">
                  <span>memory</span>
                  <span>
                    {formatBytes(n.usedMemory)} / {n.maxmemory ? formatBytes(n.maxmemory) : "no limit"} ({formatPercent(ratio)})
                  </span>
                </div>
                <div className="mt-1 h-2 rounded bg-panel-2">
                  <div className={`h-2 rounded ${high ? "bg-degraded" : "bg-accent"}`} style={{ width: `${Math.min(100, (ratio ?? 0) * 100)}%` }} />
                </div>
                {n.role === "replica" && (
                  <div className="mt-1 text-sm text-muted">link to master: {n.masterLinkUp ? "up" : <span className="text-unavailable">down</span>}</div>
                )}
              </div>
            ) : (
              <p data-testid="node-error" data-problem={n.problem} className="mt-2 text-sm text-unavailable">
                {n.error}
              </p>
            )}
          </div>
        );
      })}
      {snapshot.cluster ? (
        <ClusterSummary cluster={snapshot.cluster} href={present ? "/cluster?present=1" : "/cluster"} />
      ) : (
        <div
          data-testid="sentinel-summary"
          className={`min-w-56 flex-1 rounded-lg border-2 bg-panel px-4 py-3 ${s.blind || s.splitView ? "border-unavailable/70" : s.failoverInProgress ? "border-degraded/70" : "border-line"}`}
        >
          <div className="flex items-center justify-between">
            <span className="font-semibold">Sentinel</span>
            <span className="text-sm">{s.none ? "none configured" : `${s.reachable}/${s.sentinels.length} answering · quorum ${s.quorum ?? "?"}`}</span>
          </div>
          <div className="mt-1 text-sm">
            master <span className="font-mono">{shownAddr(s.master.addr, present)}</span>
          </div>
          {s.failoverInProgress && <p className="mt-1 text-sm font-semibold text-degraded">Failover in progress</p>}
          {s.none && (
            <p data-testid="sentinel-none" className="mt-1 text-sm font-semibold text-degraded">
              No Sentinel: no automatic failover if the master dies
            </p>
          )}
          {s.blind &&
            (configBlindness(s.sentinels) ? (
              <p data-testid="sentinel-not-watched" className="mt-1 text-sm font-semibold text-unavailable">
                Not watched: {configBlindness(s.sentinels)}
              </p>
            ) : (
              <p className="mt-1 text-sm font-semibold text-unavailable">Sentinel is blind: no sentinel answers</p>
            ))}
          {s.splitView && <p className="mt-1 text-sm font-semibold text-unavailable">Sentinels disagree about the master</p>}
        </div>
      )}
    </section>
  );
}

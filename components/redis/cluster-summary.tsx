"use client";

import Link from "next/link";
import type { ClusterSnapshot } from "@/lib/snapshot/cluster-types";

/** The Overview's cluster card, in place of the Sentinel one: is it serving, how many slots, a failover under way. */
export function ClusterSummary({ cluster: c, href }: { cluster: ClusterSnapshot; href: string }) {
  const bad = c.state !== "ok" || c.slotsOk < 16384;
  return (
    <div data-testid="cluster-summary" className={`min-w-56 flex-1 rounded-lg border-2 bg-panel px-4 py-3 ${bad ? "border-unavailable/70" : "border-line"}`}>
      <div className="flex items-center justify-between">
        <Link href={href} className="font-semibold underline decoration-line underline-offset-4 hover:decoration-accent">
          Redis Cluster
        </Link>
        <span className={`text-sm font-semibold ${c.state === "ok" ? "text-ok" : "text-unavailable"}`}>cluster_state:{c.state ?? "no answer"}</span>
      </div>
      <div className="mt-1 text-sm">
        {c.shards.length} shards · {c.slotsOk}/16384 slots ok
        {c.slotsPfail + c.slotsFail > 0 && (
          <span className="text-degraded">
            {" "}
            ({c.slotsPfail} pfail, {c.slotsFail} fail)
          </span>
        )}
      </div>
      {c.failoverInProgress && (
        <p className="mt-1 text-sm font-semibold text-unavailable">{c.failoverInProgress.shard}: master failing, waiting for a replica&apos;s promotion</p>
      )}
      {c.disagreements.length > 0 && <p className="mt-1 text-sm font-semibold text-degraded">Nodes disagree about the cluster</p>}
    </div>
  );
}

/** "master of shard-1" / "replica in shard-2" for a node's tile. */
export function shardRole(c: ClusterSnapshot, nodeId: string): string | null {
  for (const s of c.shards) {
    if (s.master?.id === nodeId) return `master of ${s.name}`;
    if (s.replicas.some((r) => r.id === nodeId)) return `replica in ${s.name}`;
  }
  return null;
}

"use client";

import { memoryOverThreshold, memoryUsedRatio } from "@/lib/snapshot/rules";
import type { NodeSnapshot } from "@/lib/snapshot/types";
import { redact } from "../live/use-present-mode";
import { formatBytes, formatPercent } from "../ui/format";

/** Each node's memory right now, from the live snapshot (the charts lag by up to one history refresh). */
export function NodeTiles({ nodes, memoryAlertRatio, present }: { nodes: NodeSnapshot[]; memoryAlertRatio: number; present: boolean }) {
  if (!nodes.length) return <p className="text-muted">No Redis node sampled yet.</p>;
  return (
    <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
      {nodes.map((n) => {
        const ratio = memoryUsedRatio(n);
        const over = memoryOverThreshold(n, memoryAlertRatio);
        return (
          <div
            key={n.id}
            data-testid={`memory-node-${n.id}`}
            data-used-ratio={ratio ?? ""}
            className={`rounded-lg border-2 bg-panel px-4 py-3 ${!n.up ? "border-unavailable/70" : over ? "border-degraded/70" : "border-line"}`}
          >
            <div className="flex items-baseline justify-between gap-2">
              <span className="text-lg font-semibold">{n.id}</span>
              <span className={`text-sm font-semibold uppercase ${n.up ? "text-muted" : "text-unavailable"}`}>
                {n.up ? n.role : `down (last seen ${n.role})`}
              </span>
            </div>
            {n.up ? (
              <>
                <div className="mt-2 flex items-baseline justify-between text-sm">
                  <span>
                    <span className={`text-2xl font-bold ${over ? "text-degraded" : ""}`}>{formatPercent(ratio)}</span>
                    <span className="text-muted"> of maxmemory</span>
                  </span>
                  <span>
                    {formatBytes(n.usedMemory)} / {n.maxmemory ? formatBytes(n.maxmemory) : "no limit"}
                  </span>
                </div>
                <div className="relative mt-1 h-2.5 rounded bg-panel-2" aria-hidden>
                  <div className={`h-2.5 rounded ${over ? "bg-degraded" : "bg-accent"}`} style={{ width: `${Math.min(100, (ratio ?? 0) * 100)}%` }} />
                  <div className="absolute top-[-3px] h-4 w-0.5 bg-degraded" style={{ left: `${memoryAlertRatio * 100}%` }} title="alert line" />
                </div>
                <dl className="mt-2 grid grid-cols-4 gap-2 text-sm">
                  <div>
                    <dt className="text-muted">evicted</dt>
                    <dd className="font-semibold">{n.evictedKeys.toLocaleString("en")}</dd>
                  </div>
                  <div>
                    <dt className="text-muted">keys</dt>
                    <dd className="font-semibold">{n.keys.toLocaleString("en")}</dd>
                  </div>
                  <div>
                    <dt className="text-muted">clients</dt>
                    <dd className="font-semibold">{n.connectedClients}</dd>
                  </div>
                  <div>
                    <dt className="text-muted">ops/s</dt>
                    <dd className="font-semibold">{n.opsPerSec}</dd>
                  </div>
                </dl>
              </>
            ) : (
              <p className="mt-2 text-sm text-unavailable">{redact(n.error, present) || "not answering"}: its charts show a gap from then on.</p>
            )}
          </div>
        );
      })}
    </div>
  );
}

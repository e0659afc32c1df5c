"use client";

import type { ClusterShard } from "@/lib/snapshot/cluster-types";
import { formatBytes, formatPercent } from "../ui/format";
import { healthTone, shardNodeLabel, slotRanges } from "./cluster-format";

const TH = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-muted";
const TD = "px-3 py-2 align-top";

function MemoryBar({ used, max, threshold }: { used: number | null; max: number | null; threshold: number }) {
  if (used === null) return <span className="text-muted">master not answering</span>;
  if (!max) return <span>{formatBytes(used)} (no maxmemory)</span>;
  const ratio = used / max;
  const tone = ratio > threshold ? "bg-degraded" : "bg-accent";
  return (
    <div className="min-w-36">
      <div className="flex justify-between text-xs">
        <span>{formatBytes(used)}</span>
        <span className={ratio > threshold ? "font-semibold text-degraded" : "text-muted"}>{formatPercent(ratio)}</span>
      </div>
      <div className="mt-1 h-2 rounded bg-panel-2" aria-hidden>
        <div className={`h-2 rounded ${tone}`} style={{ width: `${Math.min(100, ratio * 100)}%` }} />
      </div>
      <div className="text-xs text-muted">of {formatBytes(max)}</div>
    </div>
  );
}

/** Each shard: its slots, who serves them, who would take over, and how full it is. */
export function ShardsTable({ shards, present, threshold }: { shards: ClusterShard[]; present: boolean; threshold: number }) {
  if (!shards.length) return <p className="rounded-lg border border-line bg-panel p-4 text-muted">No shard known yet: the topology has not been read.</p>;
  return (
    <div className="overflow-x-auto rounded-lg border border-line bg-panel">
      <table data-testid="shards-table" className="w-full text-sm">
        <thead className="border-b border-line">
          <tr>
            <th className={TH}>Shard</th>
            <th className={TH}>Slots</th>
            <th className={TH}>Master</th>
            <th className={TH}>Replicas</th>
            <th className={TH}>Memory (master)</th>
            <th className={TH}>Keys · evicted</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {shards.map((s) => (
            <tr key={s.name} data-testid={`shard-${s.name}`} data-master={s.master?.id ?? ""} data-master-health={s.master?.health ?? "none"}>
              <td className={`${TD} font-semibold`}>{s.name}</td>
              <td className={TD}>
                <div>{s.slotCount} slots</div>
                <div className="font-mono text-xs text-muted">{slotRanges(s.slots)}</div>
              </td>
              <td className={TD}>
                {s.master ? (
                  <>
                    <div className="font-semibold">{shardNodeLabel(s.master, present)}</div>
                    <div className={`text-xs ${healthTone(s.master.health)}`}>{s.master.health}</div>
                  </>
                ) : (
                  <span className="font-semibold text-unavailable">no master</span>
                )}
              </td>
              <td className={TD}>
                {s.replicas.length ? (
                  s.replicas.map((r) => (
                    <div key={r.clusterId}>
                      {shardNodeLabel(r, present)} <span className={`text-xs ${healthTone(r.health)}`}>{r.health}</span>
                    </div>
                  ))
                ) : (
                  <span className="font-semibold text-degraded">none: a failure of its master takes these slots down</span>
                )}
              </td>
              <td className={TD}>
                <MemoryBar used={s.usedMemory} max={s.maxmemory} threshold={threshold} />
              </td>
              <td className={TD}>
                {s.keys ?? "—"} · {s.evictedKeys ?? "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

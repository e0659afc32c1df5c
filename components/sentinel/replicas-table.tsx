"use client";

import type { ReplicaView } from "@/lib/sentinel/types";
import type { NodeSnapshot } from "@/lib/snapshot/types";
import { formatBytes } from "../ui/format";
import { nodeLabel } from "./sentinel-format";

const TH = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-muted";
const TD = "px-3 py-2 align-top";

/** What the row means for an SRE: converted, rejoining, or lost. */
function replicaNote(r: ReplicaView): { text: string; tone: string } | null {
  const rejoining = r.formerMaster && !r.rejoined;
  if (r.flags.includes("promoted")) return { text: "being promoted to master", tone: "text-degraded" };
  if (rejoining && (r.up === false || r.consoleReach === false))
    return { text: "old master, down: Sentinel will make it a replica when it restarts", tone: "text-muted" };
  if (r.up === false) return { text: "unreachable (Sentinel: down)", tone: "text-unavailable" };
  if (r.consoleReach === false) return { text: "the console lost its connection; Sentinel still reaches it", tone: "text-muted" };
  if (rejoining && r.roleReported === "master")
    return { text: "old master back, still claims master: Sentinel will convert it; writes sent to it now are lost", tone: "text-unavailable" };
  if (rejoining) return { text: "old master, rejoining: syncing with the new master", tone: "text-degraded" };
  if (r.linkUp === false) return { text: "its link to the master is down: it serves stale data", tone: "text-degraded" };
  if (r.formerMaster) return { text: "old master, rejoined as replica", tone: "text-accent" };
  if (r.roleReported === "master") return { text: "reports master: not converted yet", tone: "text-degraded" };
  return null;
}

export function ReplicasTable({ replicas, nodes, present }: { replicas: ReplicaView[]; nodes: NodeSnapshot[]; present: boolean }) {
  if (!replicas.length)
    return <p className="rounded-lg border border-line bg-panel p-4 text-muted">No replica known: the master has no one to fail over to.</p>;
  return (
    <div className="overflow-x-auto rounded-lg border border-line bg-panel">
      <table data-testid="replicas-table" className="w-full text-sm">
        <thead className="border-b border-line">
          <tr>
            <th className={TH}>Replica</th>
            <th className={TH}>Link to master</th>
            <th className={TH}>Replicates from</th>
            <th className={TH}>Lag (bytes)</th>
            <th className={TH}>Last ack</th>
            <th className={TH}>Priority</th>
            <th className={TH}>Note</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {replicas.map((r) => {
            const note = replicaNote(r);
            return (
              <tr
                key={r.addr}
                data-testid={`replica-${r.id ?? r.addr}`}
                data-former-master={r.formerMaster}
                data-link={r.linkUp === null ? "unknown" : r.linkUp ? "up" : "down"}
              >
                <td className={TD}>
                  <div className="font-semibold">{r.id ?? (present ? "replica" : r.addr)}</div>
                  {r.id && !present && <div className="font-mono text-xs text-muted">{r.addr}</div>}
                </td>
                <td className={TD}>
                  {r.linkUp === null || r.consoleReach === false ? (
                    "—"
                  ) : r.linkUp ? (
                    <span className="font-semibold text-ok">● up</span>
                  ) : (
                    <span className="font-semibold text-unavailable">✖ down</span>
                  )}
                  {r.linkUp === false && r.linkDownSeconds !== null && <div className="text-xs text-muted">for {r.linkDownSeconds.toFixed(0)} s</div>}
                </td>
                <td className={TD}>{nodeLabel(r.masterAddr, nodes, present)}</td>
                <td className={`${TD} font-mono`}>{r.lagBytes === null ? "—" : formatBytes(r.lagBytes)}</td>
                <td className={`${TD} font-mono`}>{r.lagSeconds === null ? "—" : `${r.lagSeconds} s ago`}</td>
                <td className={`${TD} font-mono`}>{r.priority === null ? "—" : r.priority === 0 ? "0 (never promoted)" : r.priority}</td>
                <td className={`${TD} text-xs ${note?.tone ?? "text-muted"}`}>
                  {note?.text ?? ""}
                  {r.source === "nodes" && <div className="text-muted">from the node&apos;s own INFO (Sentinel blind)</div>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

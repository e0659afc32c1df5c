"use client";

import type { ClusterNodeView } from "@/lib/snapshot/cluster-types";

const TH = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-muted";
const TD = "px-3 py-2 align-top";

/** Each node's own CLUSTER INFO: the cluster as that node sees it (they can differ during a failure). */
export function ClusterNodesTable({ nodes, present }: { nodes: ClusterNodeView[]; present: boolean }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-line bg-panel">
      <table data-testid="cluster-nodes-table" className="w-full text-sm">
        <thead className="border-b border-line">
          <tr>
            <th className={TH}>Node</th>
            <th className={TH}>Role</th>
            <th className={TH}>cluster_state</th>
            <th className={TH}>Slots ok / pfail / fail</th>
            <th className={TH}>Known nodes</th>
            <th className={TH}>Epoch</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {nodes.map((n) => (
            <tr key={n.id} data-testid={`cluster-node-${n.id}`} data-state={n.state ?? "down"}>
              <td className={TD}>
                <div className="font-semibold">{present && n.id === n.addr ? "node" : n.id}</div>
                {!present && n.id !== n.addr && <div className="font-mono text-xs text-muted">{n.addr}</div>}
              </td>
              <td className={TD}>{n.up ? n.role : <span className="font-semibold text-unavailable">down</span>}</td>
              <td className={TD}>
                {n.state === null ? (
                  <span className="text-muted">no answer</span>
                ) : (
                  <span className={n.state === "ok" ? "text-ok" : "font-semibold text-unavailable"}>{n.state}</span>
                )}
              </td>
              <td className={TD}>{n.slotsOk === null ? "—" : `${n.slotsOk} / ${n.slotsPfail} / ${n.slotsFail}`}</td>
              <td className={TD}>{n.knownNodes ?? "—"}</td>
              <td className={TD}>{n.currentEpoch ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

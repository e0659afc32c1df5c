"use client";

import { CONFIG_PROBLEMS } from "@/lib/redis/connection-error";
import type { NodeSnapshot, SentinelSnapshot } from "@/lib/snapshot/types";
import { nodeLabel } from "./sentinel-format";

const TH = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-muted";
const TD = "px-3 py-2 align-top";

/** Each sentinel's own view of the master: a row that disagrees with the others is the split-brain warning. */
export function SentinelsTable({ sentinel, nodes, present }: { sentinel: SentinelSnapshot; nodes: NodeSnapshot[]; present: boolean }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-line bg-panel">
      <table data-testid="sentinels-table" className="w-full text-sm">
        <thead className="border-b border-line">
          <tr>
            <th className={TH}>Sentinel</th>
            <th className={TH}>Answers</th>
            <th className={TH}>Sees master</th>
            <th className={TH}>Epoch</th>
            <th className={TH}>Flags</th>
            <th className={TH}>TILT</th>
            <th className={TH}>CKQUORUM</th>
            <th className={TH}>Events</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {sentinel.sentinels.map((s) => {
            const disagrees = s.up && !!s.masterAddr && !!sentinel.master.addr && s.masterAddr !== sentinel.master.addr;
            return (
              <tr key={s.id} data-testid={`sentinel-${s.id}`} data-up={s.up} data-disagrees={disagrees} className={disagrees ? "bg-unavailable/10" : ""}>
                <td className={TD}>
                  <div className="font-semibold">{s.id}</div>
                  {!present && <div className="font-mono text-xs text-muted">{s.addr}</div>}
                </td>
                <td className={TD}>
                  {s.up ? (
                    <span className="font-semibold text-ok">● up</span>
                  ) : (
                    <span className="font-semibold text-unavailable">{s.problem && CONFIG_PROBLEMS.has(s.problem) ? "✖ not watched" : "✖ down"}</span>
                  )}
                  {!s.up && s.error && (
                    <div data-testid="sentinel-error" className="text-xs text-muted">
                      {s.error}
                    </div>
                  )}
                </td>
                <td className={`${TD} whitespace-nowrap ${disagrees ? "font-semibold text-unavailable" : ""}`}>
                  {s.up ? nodeLabel(s.masterAddr, nodes, present) : <span className="text-muted">—</span>}
                  {disagrees && <div className="text-xs">disagrees with the majority</div>}
                </td>
                <td className={`${TD} font-mono`}>{s.configEpoch ?? "—"}</td>
                <td className={TD}>
                  <div className="flex flex-wrap gap-1">
                    {s.flags.map((f) => (
                      <span key={f} className={`rounded px-1.5 py-0.5 text-xs ${f === "master" ? "bg-panel-2" : "bg-degraded/20 text-degraded"}`}>
                        {f}
                      </span>
                    ))}
                  </div>
                </td>
                <td className={TD}>
                  {s.tilt === true ? (
                    <span className="font-semibold text-unavailable">TILT</span>
                  ) : s.tilt === false ? (
                    <span className="text-muted">no</span>
                  ) : (
                    "—"
                  )}
                </td>
                <td className={TD}>
                  {s.quorumOk === null ? "—" : <span className={s.quorumOk ? "text-ok" : "font-semibold text-unavailable"}>{s.quorumOk ? "OK" : "NO"}</span>}
                  {s.quorumMessage && <div className="max-w-64 text-xs text-muted">{s.quorumMessage.replace(/^(OK|NOQUORUM)\s*/, "")}</div>}
                </td>
                <td className={TD}>{s.eventsLive ? <span className="text-ok">live</span> : <span className="text-degraded">not subscribed</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

"use client";

import type { KeyspaceReport } from "@/lib/keyspace/types";
import { formatBytes, formatPercent, formatTime } from "../ui/format";

const CLASS_LABEL: Record<string, string> = {
  L1: "L1 edge",
  L2: "L2 AI",
  L3: "L3 agent",
  CP: "CP API",
  filler: "chaos filler",
  integrity: "integrity writer",
  other: "unclaimed",
};
const num = (n: number) => n.toLocaleString("en");

function SampleState({ report }: { report: KeyspaceReport }) {
  const s = report.sample;
  if (report.state === "no-master" || report.state === "error") {
    return (
      <p className="rounded-md bg-unavailable/15 px-3 py-2 text-sm text-unavailable">
        Sampling paused: {report.error}. The figures below are from the last pass that worked.
      </p>
    );
  }
  return (
    <p className="text-sm text-muted">
      {report.state === "warming-up" ? "Warming up: " : ""}
      {num(s.keys)} keys sampled of {report.dbsize === null ? "?" : num(report.dbsize)} on {report.master ?? "the master"} (SCAN + MEMORY USAGE, ≤{" "}
      {s.keysPerPass} keys every {s.passSeconds} s, never KEYS){report.at ? `, last pass ${formatTime(report.at)}` : ""}. Counts are extrapolated to DBSIZE.
      {!s.memoryUsage && " MEMORY USAGE is unavailable on this server: memory per class is unknown."}
    </p>
  );
}

/** Memory and evictions by the layer that owns the keys, estimated from the sample. */
export function KeyClasses({ report, present }: { report: KeyspaceReport; present: boolean }) {
  const e = report.evictions;
  const sessions = report.classes.find((c) => c.keyClass === "L3")?.evictions ?? 0;
  return (
    <div className="flex flex-col gap-3">
      <SampleState report={report} />
      <div className="overflow-x-auto rounded-lg border border-line">
        <table data-testid="key-classes" className="w-full text-sm">
          <thead className="bg-panel-2 text-left text-muted">
            <tr>
              <th className="px-3 py-2 font-medium">Key class</th>
              <th className="px-3 py-2 text-right font-medium">Keys (est.)</th>
              <th className="px-3 py-2 text-right font-medium">Memory (est.)</th>
              <th className="px-3 py-2 font-medium">Share of keys</th>
              <th className="px-3 py-2 text-right font-medium">Bytes / key</th>
              <th className="px-3 py-2 text-right font-medium">Evicted (est.)</th>
              {!present && <th className="px-3 py-2 font-medium">Sampled keys</th>}
            </tr>
          </thead>
          <tbody className="divide-y divide-line">
            {report.classes.map((c) => (
              <tr key={c.keyClass} data-testid={`key-class-${c.keyClass}`} data-evictions={c.evictions} className="align-top">
                <td className="px-3 py-2">
                  <span className="font-semibold">{CLASS_LABEL[c.keyClass] ?? c.keyClass}</span>
                  <span className="block text-xs text-muted">{c.holds}</span>
                </td>
                <td className="px-3 py-2 text-right font-mono">{num(c.estimatedKeys)}</td>
                <td className="px-3 py-2 text-right font-mono">{c.estimatedBytes === null ? "unknown" : formatBytes(c.estimatedBytes)}</td>
                <td className="px-3 py-2">
                  <div className="flex items-center gap-2">
                    <div className="h-2 w-24 shrink-0 rounded bg-panel-2" aria-hidden>
                      <div className="h-2 rounded bg-accent" style={{ width: `${c.keyShare * 100}%` }} />
                    </div>
                    <span className="whitespace-nowrap text-muted">{formatPercent(c.keyShare)}</span>
                  </div>
                </td>
                <td className="px-3 py-2 text-right font-mono">{c.meanBytes === null ? "—" : formatBytes(c.meanBytes)}</td>
                <td className={`px-3 py-2 text-right font-mono ${c.evictions > 0 ? "font-semibold text-degraded" : ""}`}>{num(c.evictions)}</td>
                {!present && <td className="max-w-64 truncate px-3 py-2 font-mono text-xs text-muted">{c.exampleKeys?.join(", ") || "—"}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p data-testid="evictions-summary" className="text-sm">
        <span className="font-semibold">{num(e.observed)} evictions</span> seen on the master{e.since ? ` since ${formatTime(e.since)}` : ""}:{" "}
        {num(e.attributed)} attributed
        {e.pending ? `, ${num(e.pending)} waiting for a sampled key to explain them` : ""}
        {e.unattributed ? `, ${num(e.unattributed)} unattributed` : ""}.{" "}
        <span className="text-muted">
          Estimated: evictions are shared out by the classes whose sampled keys vanished before their TTL faster than they do when nothing is evicted.
        </span>
      </p>
      {sessions > 0 && (
        <p data-testid="session-evictions" className="rounded-md border border-degraded/60 bg-degraded/10 px-3 py-2 text-sm">
          The guide says session data is preserved under memory pressure. About <span className="font-semibold">{num(sessions)}</span> L3 keys (sessions,
          policies, HITL queue) were evicted: <span className="font-mono">allkeys-lru</span> evicts any key, sessions included.
        </p>
      )}
    </div>
  );
}

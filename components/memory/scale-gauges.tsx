"use client";

import type { GuideSizing, ScaleTrigger } from "@/lib/keyspace/types";
import { formatBytes } from "../ui/format";

function shown(v: number | null, unit: ScaleTrigger["unit"]): string {
  if (v === null) return "unknown";
  return unit === "bytes" ? formatBytes(v) : v.toLocaleString("en");
}

/** The guide's triggers for Redis Cluster as gauges: how far the sandbox (or production) is from each. */
export function ScaleGauges({ triggers }: { triggers: ScaleTrigger[] }) {
  return (
    <div className="grid grid-cols-1 gap-3 md:grid-cols-3">
      {triggers.map((t) => {
        const ratio = t.value === null ? 0 : t.value / t.threshold;
        const tone = ratio >= 1 ? "bg-unavailable" : ratio >= 0.5 ? "bg-degraded" : "bg-ok";
        return (
          <div key={t.id} data-testid={`scale-${t.id}`} className="rounded-md border border-line bg-bg/40 p-3">
            <p className="text-sm font-semibold">{t.label}</p>
            <p className="mt-1">
              <span className="text-xl font-bold">{shown(t.value, t.unit)}</span>
              <span className="text-muted">
                {" "}
                of {shown(t.threshold, t.unit)} ({(ratio * 100).toFixed(ratio < 0.01 && ratio > 0 ? 2 : 0)} %)
              </span>
            </p>
            <div
              className="mt-2 h-2 rounded bg-panel-2"
              role="meter"
              aria-valuemin={0}
              aria-valuemax={t.threshold}
              aria-valuenow={t.value ?? 0}
              aria-label={t.label}
            >
              <div className={`h-2 rounded ${tone}`} style={{ width: `${Math.max(ratio > 0 ? 1 : 0, Math.min(100, ratio * 100))}%` }} />
            </div>
            <p className="mt-1 text-xs text-muted">{t.basis}</p>
          </div>
        );
      })}
    </div>
  );
}

/** Measured bytes per key against the guide's footprint claims. */
export function GuideSizingCards({ sizing }: { sizing: GuideSizing[] }) {
  return (
    <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
      {sizing.map((s) => {
        const factor = s.measuredBytes === null ? null : s.measuredBytes / s.guideBytes;
        return (
          <div key={s.prefix} data-testid={`sizing-${s.prefix}`} className="rounded-md border border-line bg-bg/40 p-3">
            <p className="text-sm font-semibold">{s.what}</p>
            <p className="mt-1">
              {s.measuredBytes === null ? (
                <span className="text-muted">no {s.prefix} key in the sample yet</span>
              ) : (
                <>
                  <span className="text-xl font-bold">{formatBytes(s.measuredBytes)}</span>
                  <span className="text-muted"> measured vs ~{formatBytes(s.guideBytes)} in the guide</span>
                  {factor !== null && <span className={`ml-2 font-semibold ${factor > 2 ? "text-degraded" : "text-ok"}`}>{factor.toFixed(1)}×</span>}
                </>
              )}
            </p>
            <p className="mt-1 text-xs text-muted">MEMORY USAGE mean over {s.sampledKeys} sampled keys</p>
          </div>
        );
      })}
    </div>
  );
}

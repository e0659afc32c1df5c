/** Latency percentiles over a sliding time window, for the traffic workload's per-layer stats. */
import type { LatencySummary } from "../../lib/contract/workload-answers";

/** Nearest-rank percentile of an ascending array; null when empty. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Keeps (time, latency) samples for `windowMs`, at most `maxSamples` of them. */
export class LatencyWindow {
  private samples: { at: number; ms: number }[] = [];

  constructor(
    readonly windowMs = 60_000,
    private readonly maxSamples = 50_000,
  ) {}

  add(at: number, ms: number): void {
    this.samples.push({ at, ms });
    if (this.samples.length > this.maxSamples) this.samples.splice(0, this.samples.length - this.maxSamples);
  }

  /** Percentiles of the samples taken within the window ending at `now` (older ones are dropped). */
  summary(now: number): LatencySummary {
    const from = now - this.windowMs;
    const firstInside = this.samples.findIndex((s) => s.at > from);
    this.samples = firstInside < 0 ? [] : this.samples.slice(firstInside);
    const sorted = this.samples.map((s) => s.ms).sort((a, b) => a - b);
    const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
    return {
      samples: sorted.length,
      p50: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted.length ? sorted[sorted.length - 1] : null),
    };
  }

  reset(): void {
    this.samples = [];
  }
}

import "server-only";
/**
 * Traffic on a real stack: the deployment's own layer probes (the requests and rules from its
 * config), sent at the scenario's rate instead of the collector's tick, so a run's verdicts are
 * about the real layers and fine enough to time a 2-3 s recovery. One probe at a time per layer:
 * a layer that hangs costs its probe deadline, never a pile of requests.
 */
import type { LayerConfig } from "../../config/schema";
import type { LayerId } from "../../contract/failure-contract";
import { probeLayer } from "../../collector/layer-probes";

export interface ProbeSample {
  at: number;
  state: string;
  ok: boolean;
  /** The whole probe's time (null when nothing answered). */
  latencyMs: number | null;
}

export class ProbeTraffic {
  private readonly samples = new Map<LayerId, ProbeSample[]>();
  private stopped = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly layers: LayerConfig[],
    private readonly everyMs: number,
    private readonly timeoutMs: number,
  ) {}

  start(): void {
    this.loops = this.layers.map((l) => this.loop(l));
  }

  private async loop(layer: LayerConfig): Promise<void> {
    const out: ProbeSample[] = [];
    this.samples.set(layer.id, out);
    while (!this.stopped) {
      const due = Date.now() + this.everyMs;
      const o = await probeLayer(layer, this.timeoutMs);
      out.push({ at: Date.now(), state: o.state, ok: o.state === "ok", latencyMs: o.latencyMs });
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    }
  }

  /** Stops after the probes out have answered; the samples per layer, in order. */
  async stop(): Promise<Map<LayerId, ProbeSample[]>> {
    this.stopped = true;
    await Promise.all(this.loops);
    return this.samples;
  }
}

/** A layer's course around a fault at t0: when it first failed, and when it was ok again after its last failure. */
export function recoveryOf(samples: ProbeSample[], t0: number): { failedAt: number | null; okAgainAt: number | null; failures: number } {
  const after = samples.filter((s) => s.at >= t0);
  const failing = after.filter((s) => !s.ok);
  if (!failing.length) return { failedAt: null, okAgainAt: null, failures: 0 };
  const last = failing[failing.length - 1].at;
  return { failedAt: failing[0].at, okAgainAt: after.find((s) => s.ok && s.at > last)?.at ?? null, failures: failing.length };
}

/** The nearest-rank percentile of the answered probes' times (null without one). */
export function probePercentile(samples: ProbeSample[], p: number): number | null {
  const times = samples
    .map((s) => s.latencyMs)
    .filter((x): x is number => x !== null)
    .sort((a, b) => a - b);
  if (!times.length) return null;
  return times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)];
}

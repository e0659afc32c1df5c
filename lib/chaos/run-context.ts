import "server-only";
/**
 * What a scenario sees while it runs: named steps, checks, metrics, the devstack control API,
 * the collector's live snapshots, and waits that end at once when the run is aborted.
 */
import type Redis from "ioredis";
import type { Collector } from "../collector/collector";
import type { LayerId } from "../contract/failure-contract";
import type { Snapshot } from "../snapshot/types";
import type { DevstackControl } from "./devstack-control";
import type { ChaosRun } from "./types";
import { RunAborted, type RunRecord } from "./run-record";
import { makeCheck, type CheckInput } from "./verdict";

export { RunAborted };

/** `C` is the sandbox's control client: the Sentinel sandbox's, or the cluster sandbox's. */
export class RunContext<P, C = DevstackControl> {
  constructor(
    private readonly record: RunRecord,
    readonly params: P,
    readonly control: C,
    private readonly collector: Collector,
  ) {}

  /** The same run with another control: a scenario written against capabilities gets the target's offers of them. */
  withControl<D>(control: D): RunContext<P, D> {
    return new RunContext(this.record, this.params, control, this.collector);
  }

  get run(): ChaosRun {
    return this.record.run;
  }

  get signal(): AbortSignal {
    return this.record.signal;
  }

  private throwIfAborted(): void {
    this.record.throwIfAborted();
  }

  /** Runs one named step, recording its state and timing; a failing step fails the run. */
  step<T>(name: string, fn: () => Promise<T>, detail?: (result: T) => string | undefined): Promise<T> {
    return this.record.step(name, fn, detail);
  }

  /** Records a check: `ok` for one that was judged, `notExercised` (the reason) when the thing it tests did not happen. */
  check(c: CheckInput): void {
    this.run.checks.push(makeCheck(c));
    this.record.save();
  }

  metric(key: string, value: number | string | null): void {
    this.run.metrics[key] = typeof value === "number" ? Math.round(value * 1000) / 1000 : value;
    this.record.save();
  }

  snapshot(): Snapshot {
    return this.collector.snapshot();
  }

  /** The sandbox's directory (its state file), for facts only the sandbox's processes can tell. */
  devstackDir(): string | null {
    return this.collector.settings.devstack?.dir ?? null;
  }

  /** Whether the console watches this layer (a deployment may configure only some). */
  hasLayer(id: LayerId): boolean {
    return this.collector.settings.layers.some((l) => l.id === id);
  }

  /** A layer's base URL from the console's config, for scenarios that call a layer as a tenant would. */
  layerUrl(id: LayerId): string {
    const layer = this.collector.settings.layers.find((l) => l.id === id);
    if (!layer) throw new Error(`layer ${id} is not in the console's configuration`);
    return layer.url;
  }

  /** The collector's live connection to a node (it has timeouts), for a scenario's few bounded reads. */
  nodeClient(id: string): Redis {
    const node = this.collector.nodeClients().find((n) => n.id === id);
    if (!node) throw new Error(`the console has no connection to node ${id}`);
    return node.redis;
  }

  /** Waits for a pushed snapshot satisfying `predicate`; null when the time runs out. */
  waitForSnapshot(predicate: (s: Snapshot) => boolean, timeoutMs: number): Promise<Snapshot | null> {
    this.throwIfAborted();
    const now = this.collector.snapshot();
    if (predicate(now)) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const done = (value: Snapshot | null, err?: Error) => {
        clearTimeout(timer);
        unsubscribe();
        this.signal.removeEventListener("abort", onAbort);
        if (err) reject(err);
        else resolve(value);
      };
      const onAbort = () => done(null, new RunAborted());
      const timer = setTimeout(() => done(null), timeoutMs);
      const unsubscribe = this.collector.subscribe((event) => {
        if (event !== "snapshot") return;
        const s = this.collector.snapshot();
        if (predicate(s)) done(s);
      });
      this.signal.addEventListener("abort", onAbort);
    });
  }

  /**
   * The collector's snapshot every half second for `ms` (a dev stack's hold, judged over even
   * samples); an abort ends it at once, like every wait of a run.
   */
  async sample(ms: number): Promise<Snapshot[]> {
    const out: Snapshot[] = [];
    const end = Date.now() + ms;
    while (Date.now() < end) {
      this.throwIfAborted();
      out.push(this.collector.snapshot());
      await new Promise<void>((resolve) => {
        const done = () => (clearTimeout(timer), this.signal.removeEventListener("abort", done), resolve());
        const timer = setTimeout(done, 500);
        this.signal.addEventListener("abort", done);
      });
    }
    this.throwIfAborted();
    return out;
  }

  /** Collects every snapshot pushed during `ms` (the scenario's hold time). */
  watch(ms: number): Promise<Snapshot[]> {
    this.throwIfAborted();
    const seen: Snapshot[] = [];
    return new Promise((resolve, reject) => {
      const unsubscribe = this.collector.subscribe((event) => {
        if (event === "snapshot") seen.push(this.collector.snapshot());
      });
      const finish = (err?: Error) => {
        clearTimeout(timer);
        unsubscribe();
        this.signal.removeEventListener("abort", onAbort);
        if (err) reject(err);
        else resolve(seen);
      };
      const onAbort = () => finish(new RunAborted());
      const timer = setTimeout(() => finish(), ms);
      this.signal.addEventListener("abort", onAbort);
    });
  }
}

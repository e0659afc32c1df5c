import "server-only";
/**
 * Looks at every node of the cluster about every 100 ms while a fault goes on, and keeps each
 * look: the run's own clock for "when did a node flag the master FAIL", "when did the replica
 * say it is master", "when was cluster_state ok again". Each look is bounded by the reader's
 * timeout; a slow one delays the next, never stacks up behind it.
 */
import { RunAborted } from "../run-context";
import type { ClusterReader } from "./cluster-reader";
import type { ClusterLook } from "./shard-map";

const EVERY_MS = 100;

export class ClusterPoll {
  readonly looks: ClusterLook[] = [];
  private running = false;
  private loop: Promise<void> | null = null;
  private listeners = new Set<(look: ClusterLook) => void>();

  constructor(private readonly reader: ClusterReader) {}

  start(): this {
    if (this.running) return this;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const started = Date.now();
        const look = await this.reader.look();
        this.looks.push(look);
        for (const l of this.listeners) l(look);
        const rest = EVERY_MS - (Date.now() - started);
        if (rest > 0 && this.running) await new Promise((r) => setTimeout(r, rest));
      }
    })();
    return this;
  }

  /** The first look (from now on) that satisfies `predicate`; null when `timeoutMs` passes first. */
  until(predicate: (look: ClusterLook) => boolean, timeoutMs: number, signal?: AbortSignal): Promise<ClusterLook | null> {
    return new Promise((resolve, reject) => {
      const done = (look: ClusterLook | null, err?: Error) => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        signal?.removeEventListener("abort", onAbort);
        if (err) reject(err);
        else resolve(look);
      };
      const listener = (look: ClusterLook) => {
        if (predicate(look)) done(look);
      };
      const onAbort = () => done(null, new RunAborted());
      const timer = setTimeout(() => done(null), timeoutMs);
      if (signal?.aborted) return onAbort();
      this.listeners.add(listener);
      signal?.addEventListener("abort", onAbort);
    });
  }

  /** The first kept look at or after `from` satisfying `predicate`. */
  firstSince(from: number, predicate: (look: ClusterLook) => boolean): ClusterLook | null {
    return this.looks.find((l) => l.at >= from && predicate(l)) ?? null;
  }

  async stop(): Promise<ClusterLook[]> {
    this.running = false;
    await this.loop;
    return this.looks;
  }
}

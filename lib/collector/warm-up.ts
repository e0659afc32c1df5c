/**
 * The console's own warm-up: until every node and every layer has answered once (or a bound
 * passes), what it sees is its clients connecting, not the deployment failing. No alert fires and
 * no incident opens from it. Pure: the collector feeds it each push's nodes and layers.
 */
import type { LayerSnapshot, NodeSnapshot } from "../snapshot/types";

/** A node or layer still silent after this long is news, not warm-up. */
export const WARM_UP_MAX_MS = 15_000;

export class WarmUp {
  private readonly answered = new Set<string>();
  private done = false;

  constructor(
    private readonly startedAt: number,
    private readonly maxMs = WARM_UP_MAX_MS,
  ) {}

  /** Whether the console is still warming up after this look (once over, it stays over). */
  update(nodes: NodeSnapshot[], layers: LayerSnapshot[], now: number): boolean {
    if (this.done) return false;
    for (const n of nodes) if (n.up) this.answered.add(`node:${n.id}`);
    // A layer has answered once its probe's answer was judged (ok, degraded or unavailable: whatever it said about Redis).
    for (const l of layers) if (l.observed.reachable && l.status !== "unknown") this.answered.add(`layer:${l.id}`);
    const all = nodes.every((n) => this.answered.has(`node:${n.id}`)) && layers.every((l) => this.answered.has(`layer:${l.id}`));
    this.done = all || now - this.startedAt >= this.maxMs;
    return !this.done;
  }

  get over(): boolean {
    return this.done;
  }
}

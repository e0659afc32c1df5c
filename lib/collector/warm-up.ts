/**
 * The console's own warm-up: until every node, sentinel and layer has answered once (or a bound
 * passes), what it sees is its clients connecting, not the deployment failing. No alert fires and
 * no incident opens from it. Pure: the collector feeds it each push's nodes and layers.
 */
import type { LayerSnapshot, NodeSnapshot, SentinelSnapshot } from "../snapshot/types";

/** What warm-up reads of a sentinel: its address and whether it answered this look. */
export type SentinelAnswer = Pick<SentinelSnapshot["sentinels"][number], "addr" | "up">;

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
  update(nodes: NodeSnapshot[], layers: LayerSnapshot[], now: number, sentinels: SentinelAnswer[] = []): boolean {
    if (this.done) return false;
    for (const n of nodes) if (n.up) this.answered.add(`node:${n.id}`);
    // A sentinel's client connects on its own: nodes and layers answering first once fired "no sentinel answers".
    for (const s of sentinels) if (s.up) this.answered.add(`sentinel:${s.addr}`);
    // A layer has answered once its probe's answer was judged (ok, degraded or unavailable: whatever it said about Redis).
    for (const l of layers) if (l.observed.reachable && l.status !== "unknown") this.answered.add(`layer:${l.id}`);
    const all =
      nodes.every((n) => this.answered.has(`node:${n.id}`)) &&
      sentinels.every((x) => this.answered.has(`sentinel:${x.addr}`)) &&
      layers.every((l) => this.answered.has(`layer:${l.id}`));
    this.done = all || now - this.startedAt >= this.maxMs;
    return !this.done;
  }

  get over(): boolean {
    return this.done;
  }
}

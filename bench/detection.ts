/**
 * How fast a viewer learns that the master died: from the fault (kill -9 or SIGSTOP through the
 * control API) until a pushed snapshot shows the master down (the goal), and separately until one
 * shows L3 unavailable. L3's time has a floor the console cannot lower: on a freeze its redis-rs
 * client waits out its own 500 ms response timeout before answering 503. The fault is
 * undone right after (restart / thaw, before Sentinel's 5 s down-after, so no failover), then
 * POST /reset and the console showing everything ok again before the next run.
 */
import { masterNode, type Control } from "./control";
import { allOk, type SseViewer } from "./sse-viewer";
import { round, sleep } from "./stats";

export type FaultKind = "kill" | "freeze";

export interface DetectionRun {
  fault: FaultKind;
  node: string;
  /** Until the master is shown down. */
  seconds: number | null;
  /** Until L3 (fail hard) is shown unavailable. */
  layerSeconds: number | null;
  /** How long the detecting tick took (a frozen node costs its INFO timeout). */
  tickMs?: number;
  error?: string;
}

export async function detectionRuns(kind: FaultKind, runs: number, control: Control, viewer: SseViewer, log: (s: string) => void): Promise<DetectionRun[]> {
  const out: DetectionRun[] = [];
  for (let i = 0; i < runs; i++) {
    // A random phase against the 1 s tick, so runs do not all land at the same point of it.
    await sleep(500 + Math.random() * 1000);
    const master = await masterNode(control);
    const seen = viewer.next((s) => s.redis.nodes.some((n) => n.id === master.name && !n.up), 15_000);
    const l3 = viewer.next((s) => s.layers.find((l) => l.id === "L3")?.status === "unavailable", 15_000);
    seen.catch(() => {});
    l3.catch(() => {});
    const t0 = Date.now();
    let run: DetectionRun;
    try {
      await control("POST", `/nodes/${master.name}/${kind}`, { ttlSeconds: 60 }, 10_000);
      const { at, snapshot } = await seen;
      const layerAt = await l3.then((x) => x.at).catch(() => null);
      run = {
        fault: kind,
        node: master.name,
        seconds: round((at - t0) / 1000, 3),
        layerSeconds: layerAt === null ? null : round((layerAt - t0) / 1000, 3),
        tickMs: snapshot.tick.durationMs,
      };
    } catch (err) {
      run = { fault: kind, node: master.name, seconds: null, layerSeconds: null, error: (err as Error).message };
    }
    out.push(run);
    const fmt = (x: number | null) => (x === null ? "—" : `${x.toFixed(2)} s`);
    log(`  ${kind} ${master.name} #${i + 1}: ${run.seconds !== null ? `master ${fmt(run.seconds)}, L3 ${fmt(run.layerSeconds)}` : `FAILED (${run.error})`}`);
    await control("POST", `/nodes/${master.name}/${kind === "kill" ? "restart" : "thaw"}`, {}, 30_000).catch(() => {});
    await control("POST", "/reset");
    await viewer.next(allOk, 30_000);
  }
  return out;
}

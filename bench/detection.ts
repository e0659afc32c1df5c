/**
 * How fast a viewer learns that the master died: from the fault (kill -9 or SIGSTOP through the
 * control API) until a pushed snapshot shows the master down AND L3 unavailable. The fault is
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
  seconds: number | null;
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
    const seen = viewer.next(
      (s) => s.redis.nodes.some((n) => n.id === master.name && !n.up) && s.layers.find((l) => l.id === "L3")?.status === "unavailable",
      15_000,
    );
    seen.catch(() => {});
    const t0 = Date.now();
    let run: DetectionRun;
    try {
      await control("POST", `/nodes/${master.name}/${kind}`, { ttlSeconds: 60 }, 10_000);
      const { at, snapshot } = await seen;
      run = { fault: kind, node: master.name, seconds: round((at - t0) / 1000, 3), tickMs: snapshot.tick.durationMs };
    } catch (err) {
      run = { fault: kind, node: master.name, seconds: null, error: (err as Error).message };
    }
    out.push(run);
    log(`  ${kind} ${master.name} #${i + 1}: ${run.seconds !== null ? `${run.seconds.toFixed(2)} s` : `FAILED (${run.error})`}`);
    await control("POST", `/nodes/${master.name}/${kind === "kill" ? "restart" : "thaw"}`, {}, 30_000).catch(() => {});
    await control("POST", "/reset");
    await viewer.next(allOk, 30_000);
  }
  return out;
}

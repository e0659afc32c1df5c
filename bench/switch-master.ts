/**
 * How fast a viewer sees a new master: from the first `+switch-master` a Sentinel publishes (the
 * bench subscribes to every sentinel itself) until a pushed snapshot names the new master in
 * sentinel.master.addr. Triggered with POST /sentinel/failover; reset between runs.
 */
import Redis from "ioredis";
import type { StackState } from "../devstack/state";
import type { Control } from "./control";
import { allOk, type SseViewer } from "./sse-viewer";
import { round, sleep } from "./stats";

export interface SwitchRun {
  newMaster: string | null;
  /** First +switch-master → snapshot on the stream. */
  seconds: number | null;
  /** First → second sentinel's +switch-master (the console shows what most sentinels say). */
  majoritySeconds: number | null;
  error?: string;
}

interface SwitchEvent {
  sentinel: string;
  at: number;
  addr: string;
}

export async function switchMasterRuns(state: StackState, runs: number, control: Control, viewer: SseViewer, log: (s: string) => void): Promise<SwitchRun[]> {
  const events: SwitchEvent[] = [];
  const subs = state.sentinels.map((s) => {
    const r = new Redis({
      host: "127.0.0.1",
      port: s.port,
      connectTimeout: 2000,
      commandTimeout: 2000,
      maxRetriesPerRequest: 0,
      retryStrategy: (n) => Math.min(200 * n, 1000),
    });
    r.on("error", () => {});
    r.on("message", (_channel: string, message: string) => {
      const [, , , ip, port] = message.split(" ");
      events.push({ sentinel: s.name, at: Date.now(), addr: `${ip}:${port}` });
    });
    return r;
  });
  const out: SwitchRun[] = [];
  try {
    await Promise.all(subs.map((r) => r.subscribe("+switch-master")));
    for (let i = 0; i < runs; i++) {
      await sleep(500 + Math.random() * 1000);
      events.length = 0;
      const { snapshot: before } = await viewer.next(allOk, 30_000);
      const oldAddr = before.sentinel.master.addr;
      const seen = viewer.next((s) => !!s.sentinel.master.addr && s.sentinel.master.addr !== oldAddr, 30_000);
      seen.catch(() => {});
      let run: SwitchRun;
      try {
        await control("POST", "/sentinel/failover", {}, 10_000);
        const { snapshot, at } = await seen;
        const deadline = Date.now() + 5000;
        while (events.length < 2 && Date.now() < deadline) await sleep(50);
        const first = events[0];
        if (!first) throw new Error("no +switch-master reached the bench's subscriptions");
        run = {
          newMaster: snapshot.sentinel.master.addr,
          seconds: round((at - first.at) / 1000, 3),
          majoritySeconds: events[1] ? round((events[1].at - first.at) / 1000, 3) : null,
        };
      } catch (err) {
        run = { newMaster: null, seconds: null, majoritySeconds: null, error: (err as Error).message };
      }
      out.push(run);
      log(
        `  failover #${i + 1}: ${run.seconds !== null ? `${run.seconds.toFixed(2)} s after +switch-master (2nd sentinel +${run.majoritySeconds ?? "?"} s)` : `FAILED (${run.error})`}`,
      );
      await control("POST", "/reset");
    }
    await viewer.next(allOk, 30_000);
  } finally {
    for (const r of subs) r.disconnect();
  }
  return out;
}

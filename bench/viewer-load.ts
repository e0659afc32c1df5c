/**
 * Redis load per number of viewers: the console with 0/1/10/100 SSE viewers, against a naive
 * dashboard where each viewer polls INFO itself. Commands are counted by Redis (commandstats) and
 * the sandbox's own background (replication, sentinels, the fault proxy) is measured with the
 * console stopped and taken out. The layers' traffic workload stays off throughout.
 */
import Redis from "ioredis";
import type { StackState } from "../devstack/state";
import { measureWindow, type Target, type WindowLoad } from "./commandstats";
import type { ConsoleProcess } from "./console-process";
import { CONSOLE_URL } from "./env";
import { SseViewer } from "./sse-viewer";
import { round, sleep } from "./stats";

export interface LoadWindow {
  viewers: number;
  seconds: number;
  /** Commands per second caused by the console (or the pollers), background taken out. */
  commandsPerSec: number;
  /** The same per node or sentinel, and per command (nodes only: sentinels count no commandstats). */
  byTarget: Record<string, number>;
  byCommand: Record<string, number>;
}

export interface ConsoleWindow extends LoadWindow {
  cpuPercent: number;
  rssMb: number;
  /** What each viewer received, KB per second (the snapshot JSON pushed every tick). */
  streamKbPerViewerPerSec: number;
}

/** Background commands per second per target, measured with the console stopped. */
export type Background = { perSec: Record<string, number>; window: WindowLoad };

/** Replication, sentinels and the fault proxy talk to Redis on their own: measured once, taken out of every window. */
export async function measureBackground(targets: Target[], seconds: number): Promise<Background> {
  const window = await measureWindow(targets, seconds);
  return { window, perSec: Object.fromEntries(Object.entries(window.byTarget).map(([k, v]) => [k, v / window.seconds])) };
}

/** Per second, with the background's share of each target and each command taken out. */
function minusBackground(load: WindowLoad, bg: Background, viewers: number): LoadWindow {
  const rate = (v: number, bgTotal: number | undefined) => round((v - ((bgTotal ?? 0) / bg.window.seconds) * load.seconds) / load.seconds, 2)!;
  const byTarget = Object.fromEntries(Object.entries(load.byTarget).map(([k, v]) => [k, rate(v, bg.window.byTarget[k])]));
  const byCommand = Object.fromEntries(
    Object.entries(load.byCommand)
      .map(([k, v]) => [k, rate(v, bg.window.byCommand[k])])
      .filter(([, v]) => Math.abs(v as number) >= 0.05),
  );
  const perSec = Object.values(byTarget).reduce((a, b) => a + b, 0);
  return { viewers, seconds: round(load.seconds, 1)!, commandsPerSec: round(perSec, 2)!, byTarget, byCommand };
}

/** The console's Redis load, CPU and RSS with `viewers` SSE clients connected for a window. */
export async function consoleWindow(targets: Target[], bg: Background, console: ConsoleProcess, viewers: number, seconds: number): Promise<ConsoleWindow> {
  const clients = Array.from({ length: viewers }, () => new SseViewer(CONSOLE_URL, false));
  try {
    await sleep(3000); // every stream connected and past its first snapshot
    const failed = clients.filter((c) => c.failure);
    if (failed.length) throw new Error(`${failed.length} viewers failed: ${failed[0].failure!.message}`);
    const cpu0 = console.cpuSeconds();
    const bytes0 = clients.reduce((a, c) => a + c.bytes, 0);
    let rssMb = 0;
    const rssTimer = setInterval(() => (rssMb = Math.max(rssMb, console.rssMb())), 1000);
    const load = await measureWindow(targets, seconds);
    clearInterval(rssTimer);
    rssMb = Math.max(rssMb, console.rssMb());
    const cpuPercent = ((console.cpuSeconds() - cpu0) / load.seconds) * 100;
    const bytes = clients.reduce((a, c) => a + c.bytes, 0) - bytes0;
    return {
      ...minusBackground(load, bg, viewers),
      cpuPercent: round(cpuPercent, 1)!,
      rssMb: round(rssMb, 0)!,
      streamKbPerViewerPerSec: viewers ? round(bytes / 1024 / viewers / load.seconds, 1)! : 0,
    };
  } finally {
    for (const c of clients) c.close();
  }
}

/** A naive dashboard: each viewer's page polls INFO on every node once a second over its own connection. */
export async function naiveWindow(state: StackState, targets: Target[], bg: Background, viewers: number, seconds: number): Promise<LoadWindow> {
  const clients = Array.from({ length: viewers }, () =>
    state.nodes.map((n) => {
      const r = new Redis({
        host: "127.0.0.1",
        port: n.port,
        password: state.password,
        connectTimeout: 2000,
        commandTimeout: 2000,
        maxRetriesPerRequest: 0,
        enableReadyCheck: false,
        lazyConnect: true,
        retryStrategy: () => null,
      });
      r.on("error", () => {});
      return r;
    }),
  ).flat();
  const timers: NodeJS.Timeout[] = [];
  try {
    await Promise.all(clients.map((c) => c.connect()));
    for (const c of clients) {
      // Viewers open the page at different moments: spread the polls over the second.
      const start = setTimeout(() => {
        void c.info().catch(() => {});
        timers.push(setInterval(() => void c.info().catch(() => {}), 1000));
      }, Math.random() * 1000);
      timers.push(start);
    }
    await sleep(1500);
    return minusBackground(await measureWindow(targets, seconds), bg, viewers);
  } finally {
    for (const t of timers) clearTimeout(t);
    for (const c of clients) c.disconnect();
  }
}

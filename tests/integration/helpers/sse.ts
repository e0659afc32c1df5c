/** Reads the console's SSE stream and waits for a snapshot that satisfies a condition. */
import type { Snapshot } from "../../../lib/snapshot/types";
import { SseFrameReader } from "../../../lib/sse/frames";

/** Resolves with the first pushed snapshot for which `predicate` holds; rejects after timeoutMs. */
export async function waitForSnapshot(
  baseUrl: string,
  what: string,
  predicate: (s: Snapshot) => boolean,
  timeoutMs = 30_000,
  /** e.g. an Authorization header, for a console that answers no anonymous read. */
  headers: Record<string, string> = {},
): Promise<Snapshot> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let last: Snapshot | null = null;
  try {
    const res = await fetch(`${baseUrl}/api/stream`, { headers, signal: controller.signal });
    if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
    const reader = new SseFrameReader();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      for (const e of reader.push(chunk)) {
        if (e.event !== "snapshot") continue;
        last = JSON.parse(e.data) as Snapshot;
        if (predicate(last)) return last;
      }
    }
    throw new Error("stream ended");
  } catch (err) {
    const state = last
      ? `layers ${last.layers.map((l) => `${l.id}=${l.status}`).join(" ")}, nodes ${last.redis.nodes.map((n) => `${n.id}=${n.up ? n.role : "down"}`).join(" ")}`
      : "no snapshot received";
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${state}; ${(err as Error).message})`);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/** Layer statuses as a compact map, for assertions. */
export function layerStatuses(s: Snapshot): Record<string, string> {
  return Object.fromEntries(s.layers.map((l) => [l.id, l.status]));
}

/**
 * Every layer ok, Redis available, and the console past its warm-up: a console still warming up
 * records no change and opens no incident, so a fault a test injects then is the console's first
 * look, not news (too-many-masters once saw every node and layer ok before a sentinel answered).
 */
export const ALL_OK = (s: Snapshot) => s.layers.length === 4 && s.layers.every((l) => l.status === "ok") && s.redis.available === true && s.warmingUp !== true;
